-- paced-replay.lua: the shared harness's replay.lua (distinct pre-signed Stripe events, REPLAY_LUA names it)
-- with a pause before each request, so that wrk offers a steady rate instead of its maximum: about
-- connections x 1000 / (PAUSE_MS + latency) requests per second. delivery-vs-front-door.sh calibrates it.
local pause = tonumber(os.getenv("PAUSE_MS") or "8")
dofile(os.getenv("REPLAY_LUA"))

function delay()
  return pause
end
