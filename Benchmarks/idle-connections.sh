#!/usr/bin/env bash
# Issue 14, point 4: what an idle keep-alive TLS connection costs `hookgate serve` in memory, and how the
# connection limit is answered.
#
#   Benchmarks/idle-connections.sh [-n 10000] [--keep]
#
# Starts `hookgate serve` (release, production mode, limits.max_connections = n + 100, idle timeout 10 min)
# and opens n TLS connections to it from one Python asyncio client, each completing its handshake and one
# signed webhook (answered 200, stored), then staying open and idle. Reports serve's resident memory (VmRSS)
# before and with the n connections open, and the difference per connection; then, with the limit lowered
# to n by a second gateway, that one connection more is closed at once (and the n open ones still answer).
# Everything listens on 127.0.0.1; every process started here is stopped by PID.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
COUNT=10000
KEEP=0
PORT=18743
SECRET="whsec_benchOnlyNotARealSecret0123456789ab"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) COUNT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d /var/tmp/hookgate-idle-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if (( KEEP )); then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

HOOKGATE="${HOOKGATE_BIN:-$ROOT/.build/release/hookgate}"
if [[ -z "${HOOKGATE_BIN:-}" ]]; then
  (cd "$ROOT" && swift build -c release --product hookgate 2>&1 | tail -1)
fi
# Each side (serve, the client) holds one descriptor per connection, plus its own.
ulimit -n $(( COUNT + 1024 ))
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

# write_config LIMIT: Config/hookgate.json in production mode with this run's certificate and limits.
write_config() {
  python3 - "$ROOT/Config/hookgate.json" "$WORK" "$1" >"$WORK/hookgate-$1.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["mode"] = "production"
config["tls"] = {"certificate": sys.argv[2] + "/cert.pem", "private_key": sys.argv[2] + "/key.pem"}
config["limits"] = {"max_connections": int(sys.argv[3]), "idle_timeout_ms": 600000}
config["logging"] = {"format": "text", "level": "warning"}
print(json.dumps(config, indent=2))
PY
}

# start_serve LIMIT: serve with that connection limit; sets SERVE_PID.
start_serve() {
  write_config "$1"
  mkdir -p "$WORK/data-$1"
  (cd "$WORK" && HOOKGATE_DATA_DIR="$WORK/data-$1" HOOKGATE_LISTEN="127.0.0.1:$PORT" STRIPE_WEBHOOK_SECRET="$SECRET" \
    exec "$HOOKGATE" serve --config "$WORK/hookgate-$1.json") >"$WORK/serve-$1.log" 2>&1 &
  SERVE_PID=$!
  PIDS+=("$SERVE_PID")
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  cat "$WORK/serve-$1.log"; exit 1
}

rss_kib() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }

# The client: opens N connections (one signed webhook each), reports, then waits for "probe" or "close" on
# standard input. "probe" opens one connection more and says whether it was closed without an answer, then
# sends one more webhook on each of the N open connections and counts the 200s.
cat >"$WORK/client.py" <<'PY'
import asyncio, hashlib, hmac, json, ssl, sys, time, uuid

port, count, secret = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
context = ssl.create_default_context(cafile=sys.argv[4])

def request():
    event = {"id": "evt_" + uuid.uuid4().hex[:24], "object": "event", "type": "payment_intent.succeeded",
             "created": int(time.time()), "livemode": False,
             "data": {"object": {"id": "pi_" + uuid.uuid4().hex[:24], "object": "payment_intent",
                                 "amount": 1000, "currency": "usd"}}}
    body = json.dumps(event).encode()
    t = str(int(time.time()))
    signature = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    head = (f"POST /webhooks/stripe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Stripe-Signature: t={t},v1={signature}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body

async def exchange(reader, writer):
    writer.write(request())
    await writer.drain()
    status = await reader.readline()
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return int(status.split()[1])

async def open_one():
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname="localhost")
    return reader, writer, await exchange(reader, writer)

async def main():
    connections = []
    started = time.monotonic()
    for first in range(0, count, 200):
        connections += await asyncio.gather(*(open_one() for _ in range(first, min(first + 200, count))))
    statuses = [status for _, _, status in connections]
    print(f"opened {len(connections)} in {time.monotonic() - started:.1f} s, 200s: {statuses.count(200)}", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        command = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if command == "probe":
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname="localhost"), 5)
                writer.write(request())
                await writer.drain()
                answer = await asyncio.wait_for(reader.read(1), 5)
                print("one more: " + ("closed without an answer" if answer == b"" else "ANSWERED"), flush=True)
            except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError, OSError) as error:
                print(f"one more: refused ({type(error).__name__})", flush=True)
            again = await asyncio.gather(*(exchange(r, w) for r, w, _ in connections), return_exceptions=True)
            print(f"open connections answered 200 again: {sum(1 for s in again if s == 200)}", flush=True)
        else:
            for _, writer, _ in connections:
                writer.close()
            return

asyncio.run(main())
PY

run_client() {  # LIMIT: opens COUNT connections against serve with that limit; leaves CLIENT_PID and fifo
  mkfifo "$WORK/client-$1.in"
  python3 "$WORK/client.py" "$PORT" "$COUNT" "$SECRET" "$WORK/cert.pem" <"$WORK/client-$1.in" >"$WORK/client-$1.out" 2>&1 &
  CLIENT_PID=$!
  PIDS+=("$CLIENT_PID")
  exec 7>"$WORK/client-$1.in"
  for _ in $(seq 1800); do grep -q "^opened" "$WORK/client-$1.out" && break; sleep 0.1; done
  grep "^opened" "$WORK/client-$1.out" || { cat "$WORK/client-$1.out"; exit 1; }
}

echo "== $COUNT idle keep-alive TLS connections, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
start_serve $(( COUNT + 100 ))
sleep 1
before=$(rss_kib "$SERVE_PID")
run_client $(( COUNT + 100 ))
sleep 2
with=$(rss_kib "$SERVE_PID")
awk -v b="$before" -v w="$with" -v n="$COUNT" 'BEGIN {
  printf "serve RSS: %.1f MB before, %.1f MB with %d connections open: %.1f KB per connection (goal <= 40 KB)\n",
    b / 1024, w / 1024, n, (w - b) / n }'
echo close >&7; exec 7>&-
wait "$CLIENT_PID" || true
kill -TERM "$SERVE_PID"; wait "$SERVE_PID" || true

echo "== the connection limit: max_connections = $COUNT, then one more"
start_serve "$COUNT"
run_client "$COUNT"
echo probe >&7
for _ in $(seq 600); do grep -q "answered 200 again" "$WORK/client-$COUNT.out" && break; sleep 0.1; done
grep -E "one more|again" "$WORK/client-$COUNT.out"
echo close >&7; exec 7>&-
wait "$CLIENT_PID" || true
