#!/usr/bin/env bash
# Issue 4's benchmark: `hookgate serve` (release build) next to the shared harness's reference targets, in
# one run, under the same load: wrk over TLS keep-alive, 64 connections, distinct correctly signed ~2.5 KB
# Stripe events (../shared/bench/README.md describes the harness).
#
#   Benchmarks/serve-vs-peers.sh [-d 15s] [--only hookgate|ceiling|python-peer] [--keep]
#
# Targets, in this order: ceiling (nginx, 2 workers, static 200 over TLS), python-peer (nginx + uvicorn x2 +
# stripe-python + SQLite, fsync per event), hookgate (verify, dedup, group-committed fsync, then 200).
# For each: requests/s, p50, p99 (wrk, corrected for coordinated omission), peak resident memory of the
# target's processes (sampled every 100 ms for the peers; the kernel's VmHWM for hookgate), and the
# harness's check that every acknowledged event is stored. Everything listens on 127.0.0.1 only, every
# process started here is stopped by PID, and the working folder (on disk, not tmpfs) is removed at exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BENCH="${HOOKGATE_BENCH:-$(cd "$ROOT/../shared/bench" && pwd)}"
DURATION=15s
ONLY=""
KEEP=0
PORT=18443
SECRET="whsec_benchOnlyNotARealSecret0123456789ab"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -d|--duration) DURATION="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d /var/tmp/hookgate-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if (( KEEP )); then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== setting up the harness (nginx, wrk, Python peer) and building hookgate (release)"
"$BENCH/setup.sh" >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log"; exit 1; }
(cd "$ROOT" && swift build -c release --product hookgate >"$WORK/build.log" 2>&1) || { tail -30 "$WORK/build.log"; exit 1; }

# Sums the resident memory (KiB) of the processes whose command line matches $1, every 100 ms, and writes the
# highest sum to $2 when the file $3 disappears.
sample_peak_rss() {
  local pattern="$1" out="$2" running="$3" peak=0 now
  while [[ -e "$running" ]]; do
    now=$(ps -eo rss=,args= | awk -v p="$pattern" '$0 ~ p && !/awk|ps -eo/ { s += $1 } END { print s + 0 }')
    (( now > peak )) && peak=$now
    sleep 0.1
  done
  echo "$peak" >"$out"
}

# run_peer NAME RUN_SH_ARGS... : one harness run of a reference target, with its peak RSS.
run_peer() {
  local name="$1"; shift
  touch "$WORK/$name.running"
  sample_peak_rss 'nginx|uvicorn|gunicorn|receiver' "$WORK/$name.rss" "$WORK/$name.running" &
  local sampler=$!
  "$BENCH/peers/run.sh" -d "$DURATION" -t 2 -c 64 --port "$PORT" --label "serve-vs-peers" "$@" | tee "$WORK/$name.out"
  rm -f "$WORK/$name.running"
  wait "$sampler"
}

run_hookgate() {
  local data="$WORK/hookgate-data"
  mkdir -p "$data"
  echo "== starting hookgate serve (release) on 127.0.0.1:$PORT, store $data/hookgate.sqlite"
  (cd "$WORK" && HOOKGATE_DATA_DIR="$data" HOOKGATE_LISTEN="127.0.0.1:$PORT" STRIPE_WEBHOOK_SECRET="$SECRET" \
    exec "$ROOT/.build/release/hookgate" serve --config "$ROOT/Config/hookgate.json" >"$WORK/hookgate.log" 2>&1) &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 100); do grep -q "listening" "$WORK/hookgate.log" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening" "$WORK/hookgate.log" || { cat "$WORK/hookgate.log"; exit 1; }
  local count="python3 -c \"import sqlite3; print(sqlite3.connect('file:$data/hookgate.sqlite?mode=ro', uri=True).execute('select count(*) from delivery').fetchone()[0])\""
  "$BENCH/peers/run.sh" -d "$DURATION" -t 2 -c 64 --label "serve-vs-peers" --secret "$SECRET" \
    --count-cmd "$count" url "https://127.0.0.1:$PORT/webhooks/stripe" | tee "$WORK/hookgate.out"
  awk '/VmHWM/ { print $2 }' "/proc/$pid/status" >"$WORK/hookgate.rss"
  kill -TERM "$pid"
  wait "$pid" || true
}

want() { [[ -z "$ONLY" || "$ONLY" == "$1" ]]; }
want ceiling && run_peer ceiling --nginx-workers 2 ceiling
want python-peer && run_peer python-peer --py-server uvicorn --py-workers 2 --nginx-workers 1 python-peer
want hookgate && run_hookgate

# ------------------------------------------------------------------------------------------ the table
field() { sed -n "s/.*$2 \([0-9.]*\) ms.*/\1/p" "$WORK/$1.out" | head -1; }
rps() { sed -n 's/.*requests\/s: \([0-9.]*\).*/\1/p' "$WORK/$1.out" | head -1; }
stored() { sed -n 's/.*stored: *\(OK\|MISMATCH\|n\/a\|not checked\)[^:]*.*/\1/p' "$WORK/$1.out" | head -1; }
echo
echo "== serve-vs-peers, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, wrk -t 2 -c 64 -d $DURATION"
printf '%-12s %12s %9s %9s %14s  %s\n' target "requests/s" "p50 ms" "p99 ms" "peak RSS MB" "acked events stored"
for name in ceiling python-peer hookgate; do
  [[ -f "$WORK/$name.out" ]] || continue
  rss_kib=$(cat "$WORK/$name.rss" 2>/dev/null || echo 0)
  printf '%-12s %12s %9s %9s %14.1f  %s\n' "$name" "$(rps "$name")" "$(field "$name" p50)" "$(field "$name" p99)" \
    "$(awk -v k="$rss_kib" 'BEGIN { print k / 1024 }')" "$(stored "$name")"
done
if [[ -f "$WORK/hookgate.out" && -f "$WORK/ceiling.out" ]]; then
  awk -v h="$(rps hookgate)" -v c="$(rps ceiling)" 'BEGIN { printf "hookgate / ceiling: %.2fx (target >= 0.40x)\n", h / c }'
fi
if [[ -f "$WORK/hookgate.out" && -f "$WORK/python-peer.out" ]]; then
  awk -v h="$(rps hookgate)" -v p="$(rps python-peer)" 'BEGIN { printf "hookgate / python-peer: %.1fx (target >= 10x)\n", h / p }'
fi
