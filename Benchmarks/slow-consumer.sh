#!/usr/bin/env bash
# Issue 15, point 3: a payment system that answers only after 30 s (so every forward times out) must not slow
# the front door. Measures `hookgate send`'s latency (p50, p99) for the same paced load twice against one
# `serve`: with a sink that answers at once, then with one that holds every answer 30 s, the worker's
# forwards timing out and retried meanwhile.
#
#   Benchmarks/slow-consumer.sh [--count 3000] [--rate 300] [--concurrency 16] [--keep]
#
# The binary is HOOKGATE_BIN, else .build-release/release/hookgate, else .build/debug/hookgate; it runs on the
# shipped configuration (Config/hookgate.json: SQLite store, upstream defaults) in a temporary directory, on a
# free port of 127.0.0.1, with a certificate from `hookgate certs dev`. Prints both latency lines, the store's
# states at the end, and the ratio of the p99s. Every process started here is stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT=3000
RATE=300
CONCURRENCY=16
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) COUNT="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
BIN=${HOOKGATE_BIN:-}
for candidate in "$BIN" "$ROOT/.build-release/release/hookgate" "$ROOT/.build/debug/hookgate"; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then BIN=$candidate; break; fi
done
[[ -x "$BIN" ]] || { echo "no hookgate binary (swift build first)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hookgate-slow-consumer.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $KEEP == 1 ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/Config"
cp "$ROOT/Config/hookgate.json" "$WORK/Config/"
cd "$WORK"
"$BIN" certs dev >/dev/null 2>&1
export STRIPE_WEBHOOK_SECRET=whsec_slowConsumerOnlyNotARealSecret0123
export HOOKGATE_LISTEN=127.0.0.1:$PORT HOOKGATE_DATA_DIR=$WORK/data HOOKGATE_UPSTREAM_SOCKET=$WORK/payments.sock
export HOOKGATE_ADMIN_SOCKET=$WORK/admin.sock

start_sink() {
  "$BIN" sink --socket "$WORK/payments.sock" "$@" >"$WORK/sink.out" 2>>"$WORK/sink.log" &
  SINK=$!
  PIDS+=("$SINK")
  for _ in $(seq 1 100); do [[ -S "$WORK/payments.sock" ]] && return; sleep 0.05; done
  echo "the sink did not start" >&2; exit 1
}

"$BIN" serve >"$WORK/serve.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 200); do grep -q "server.address=127.0.0.1:$PORT" "$WORK/serve.log" && break; sleep 0.05; done

load() {
  "$BIN" send payment_intent.succeeded --count "$COUNT" --rate "$RATE" --concurrency "$CONCURRENCY" \
    --cacert "$WORK/certs/dev-ca.pem" --url "https://localhost:$PORT/webhooks/stripe" | tee -a "$WORK/send.log" |
    grep -E "latency|2xx"
}

echo "== $BIN; $COUNT events at $RATE/s from $CONCURRENCY connections, each phase"
start_sink
echo "-- a payment system that answers at once"
quick=$(load)
echo "$quick"
kill "$SINK"; wait "$SINK" 2>/dev/null || true
start_sink --delay 30s
sleep 5
echo "-- a payment system that answers after 30 s (forwards time out)"
slow=$(load)
echo "$slow"
echo "-- the store after the slow phase"
"$BIN" deliveries stats --store "$WORK/data/hookgate.sqlite" | sed -n '1,8p'
p99() { sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$1"; }
python3 -c "print('p99 with the slow payment system / with the quick one: %.2fx' % ($(p99 "$slow") / $(p99 "$quick")))"
