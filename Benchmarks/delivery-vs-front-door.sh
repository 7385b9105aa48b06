#!/usr/bin/env bash
# Issue 5's benchmark: the delivery worker behind a front door at a steady rate, and its maximum rate.
#
#   Benchmarks/delivery-vs-front-door.sh [--rate 2000] [--seconds 30] [--backlog 20000] [--keep]
#
# 1. Steady: `hookgate serve` (release) and `hookgate sink` on its upstream socket; wrk offers distinct,
#    correctly signed payment_intent.succeeded events (the shared harness's gen_requests.py and replay.lua,
#    paced by paced-replay.lua: 32 keep-alive TLS connections, each pausing between requests; the pause is
#    calibrated in short runs first, the longest that offers at least --rate) for --seconds. Every 0.5 s the
#    pending + delivering count is sampled from the live database (read-only). After the load, the
#    received -> delivered latency of every delivery is computed from the store: its receipt time to the
#    end of its acknowledged attempt (millisecond timestamps, microsecond durations).
# 2. Drain: a fresh store is filled with --backlog pending deliveries (DeliveryBacklogFill), then serve and
#    sink start and the worker drains it: deliveries per second from the first attempt to the last ack, and
#    from the first delivery prepared to the last ack.
#    `--backlog 0` leaves the drain out.
# HOOKGATE_BIN names a hookgate binary already built (release); otherwise it is built first.
# Everything listens on 127.0.0.1 or a Unix socket in the working folder (on disk, removed at exit).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BENCH="${HOOKGATE_BENCH:-$(cd "$ROOT/../shared/bench" && pwd)}"
PYTHON="${PYTHON:-$HOME/.cache/hookgate-bench/.venv/bin/python}"
RATE=2000
SECONDS_OF_LOAD=30
BACKLOG=20000
KEEP=0
PORT=18543
CONNECTIONS=32
SECRET="whsec_benchOnlyNotARealSecret0123456789ab"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --seconds) SECONDS_OF_LOAD="$2"; shift 2 ;;
    --backlog) BACKLOG="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d /var/tmp/hookgate-delivery-bench.XXXXXX)"
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_all
  if (( KEEP )); then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "setting up the harness (wrk, Python) and building (release)..."
"$BENCH/setup.sh" >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log"; exit 1; }
[[ -n "${HOOKGATE_BIN:-}" ]] || (cd "$ROOT" && swift build -c release --product hookgate 2>&1 | tail -1)
(( BACKLOG == 0 )) || (cd "$HERE" && swift build -c release --product DeliveryBacklogFill 2>&1 | tail -1)
HOOKGATE="${HOOKGATE_BIN:-$ROOT/.build/release/hookgate}"
FILL="$HERE/.build/release/DeliveryBacklogFill"

# start_pair DIR: the sink on DIR/payments.sock, then serve on DIR (its store is DIR/hookgate.sqlite).
start_pair() {
  local dir="$1"
  HOOKGATE_DATA_DIR="$dir" "$HOOKGATE" sink >"$dir/sink.jsonl" 2>"$dir/sink.err" &
  PIDS+=($!)
  (cd "$ROOT" && HOOKGATE_DATA_DIR="$dir" HOOKGATE_LISTEN="127.0.0.1:$PORT" HOOKGATE_LOG_LEVEL=warning \
    STRIPE_WEBHOOK_SECRET="$SECRET" exec "$HOOKGATE" serve --config Config/hookgate.json) >"$dir/serve.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    if curl -sk -o /dev/null "https://127.0.0.1:$PORT/"; then return 0; fi
    sleep 0.1
  done
  echo "serve did not start:" >&2; cat "$dir/serve.log" >&2; exit 1
}

# unfinished DB: pending + delivering deliveries.
unfinished() {
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
print(db.execute("SELECT COUNT(*) FROM delivery WHERE state IN ('pending', 'delivering')").fetchone()[0])
PY
}

wait_until_drained() {
  local db="$1" deadline=$((SECONDS + 120))
  while (( SECONDS < deadline )); do
    [[ "$(unfinished "$db")" == 0 ]] && return 0
    sleep 0.2
  done
  echo "deliveries still unfinished after 120 s" >&2
}

echo
echo "== steady: $RATE events/s for $SECONDS_OF_LOAD s through TLS, store, worker, Unix socket"
STEADY="$WORK/steady"; mkdir -p "$STEADY"
start_pair "$STEADY"
DB="$STEADY/hookgate.sqlite"
python3 - "$DB" "$STEADY/queue.txt" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
with open(sys.argv[2], "w") as out:
    while True:
        n = db.execute("SELECT COUNT(*) FROM delivery WHERE state IN ('pending', 'delivering')").fetchone()[0]
        out.write(f"{time.time():.1f} {n}\n"); out.flush()
        time.sleep(0.5)
PY
SAMPLER=$!
PIDS+=($SAMPLER)
# wrk_paced PAUSE_MS DURATION REQUESTS: paced wrk over TLS; prints its RESULT line.
wrk_paced() {
  PAUSE_MS="$1" REPLAY_LUA="$BENCH/peers/replay.lua" wrk -t 2 -c "$CONNECTIONS" -d "$2" --latency -s "$HERE/paced-replay.lua" \
    "https://127.0.0.1:$PORT/webhooks/stripe" -- "$3" 2 | grep '^RESULT'
}
"$PYTHON" "$BENCH/peers/gen_requests.py" --out "$WORK/calibrate.req" -n 30000 --secret "$SECRET" --verify 0 >/dev/null
"$PYTHON" "$BENCH/peers/gen_requests.py" --out "$WORK/steady.req" -n $((RATE * SECONDS_OF_LOAD * 3 / 2)) \
  --secret "$SECRET" --verify 0 >/dev/null
# Calibration: 3 s runs from a 16 ms pause down, until one offers at least --rate (each connection's cycle
# is its pause plus the request's latency, so the next pause is estimated from the rate just seen).
PAUSE=16
for _ in 1 2 3 4 5; do
  measured=$(wrk_paced "$PAUSE" 3s "$WORK/calibrate.req" | sed -n 's/.* rps=\([0-9.]*\).*/\1/p')
  echo "  calibration: pause $PAUSE ms gave $measured requests/s"
  awk -v r="$measured" -v want="$RATE" 'BEGIN { exit !(r >= want) }' && break
  PAUSE=$(awk -v r="$measured" -v want="$RATE" -v p="$PAUSE" -v c="$CONNECTIONS" \
    'BEGIN { q = c * 1000 / want - (c * 1000 / r - p); if (q > p - 1) q = p - 1; if (q < 0) q = 0; printf "%d", q }')
done
echo "  steady run: pause $PAUSE ms"
wrk_paced "$PAUSE" "${SECONDS_OF_LOAD}s" "$WORK/steady.req" | sed 's/^/  wrk: /'
wait_until_drained "$DB"
kill "$SAMPLER" 2>/dev/null || true
python3 - "$DB" "$STEADY/queue.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
states = dict(db.execute("SELECT state, COUNT(*) FROM delivery GROUP BY state").fetchall())
rows = db.execute("""
    SELECT a.started_at_ms + a.duration_us / 1000.0 - d.received_at_ms
    FROM delivery d JOIN delivery_attempt a ON a.delivery_id = d.id
    WHERE d.state = 'delivered' AND a.upstream_status BETWEEN 200 AND 299""").fetchall()
latencies = sorted(r[0] for r in rows)
def pct(p): return latencies[min(len(latencies) - 1, int(len(latencies) * p))]
attempts = db.execute("SELECT COUNT(*) FROM delivery_attempt").fetchone()[0]
queue = [int(line.split()[1]) for line in open(sys.argv[2]) if line.strip()]
print(f"  deliveries by state: {states}; attempts: {attempts}")
print(f"  received -> delivered: p50 {pct(0.5):.2f} ms, p99 {pct(0.99):.2f} ms, max {latencies[-1]:.1f} ms ({len(latencies)} deliveries)")
print(f"  pending + delivering, sampled every 0.5 s: max {max(queue)}, mean {sum(queue) / len(queue):.1f} ({len(queue)} samples)")
PY
stop_all
(( BACKLOG > 0 )) || exit 0

echo
echo "== drain: $BACKLOG pending deliveries, worker alone (max_in_flight 16)"
DRAIN="$WORK/drain"; mkdir -p "$DRAIN"
"$FILL" "$DRAIN/hookgate.sqlite" "$BACKLOG" "$ROOT/Tests/Fixtures/stripe-events/payment_intent.succeeded.json" | sed 's/^/  /'
start_pair "$DRAIN"
wait_until_drained "$DRAIN/hookgate.sqlite"
python3 - "$DRAIN/hookgate.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
first, last, n = db.execute("""
    SELECT MIN(started_at_ms), MAX(started_at_ms + duration_us / 1000.0), COUNT(DISTINCT delivery_id)
    FROM delivery_attempt WHERE upstream_status BETWEEN 200 AND 299""").fetchone()
print(f"  delivered {n} in {(last - first) / 1000:.2f} s: {n / ((last - first) / 1000):.0f} deliveries/s")
# Preparation (normalizing and applying) may come before the first attempt or run beside the attempts: counted
# from the first delivery prepared, the figure does not depend on which.
prepared = db.execute("SELECT MIN(prepared_at_ms) FROM delivery").fetchone()[0]
begun = min(first, prepared)
print(f"  prepared and delivered {n} in {(last - begun) / 1000:.2f} s from the first preparation: "
      f"{n / ((last - begun) / 1000):.0f} deliveries/s")
PY
