#!/usr/bin/env bash
# Issue 14's benchmark: the CPU one event costs Hookgate, beside the CPU of a static 200 over TLS, in one run.
#
#   Benchmarks/cpu-per-event.sh [-d 10s] [-w 3s] [-c 64] [--rounds 3] [--only LIST] [--perf] [--keep]
#
# Each round runs these targets one after the other under the same load (wrk 4.1, 2 threads, -c keep-alive
# TLS connections, the shared harness's distinct signed ~2.5 KB payment_intent.succeeded events and its
# replay.lua), each after a warm-up of -w:
#   nginx     nginx, 2 workers, `return 200` over TLS (the harness's ceiling)
#   nio200    NIOStatic200 (Sources/NIOStatic200): NIO's own TLS + HTTP/1.1 server answering every request 200
#   nio401    NIOStatic200 with a secret the requests are not signed with: the same server plus Hookgate's
#             signature check, answering 401 (the floor of the forged path, without the gateway's own handling)
#   forged    `hookgate serve` whose endpoint secret is not the one the requests are signed with: every
#             request is verified and answered 401, nothing is stored (the forged-signature path)
#   hookgate  `hookgate serve` + `hookgate sink` on its upstream socket: verify, fsync'd group commit, 200,
#             then normalize and forward every event to the sink, which acks it
# CPU is utime + stime from /proc (the process and its children), read just before the measured wrk starts
# and, for hookgate, after the sink has acknowledged every event stored in the window (so the worker's
# normalization and forwarding of the window's events are inside it). CPU per request = CPU / requests
# answered (nginx, nio200, forged) or / events stored and delivered (hookgate, serve + sink).
# Ratios compare targets of the same round; the summary gives the median over the rounds.
#
# --perf records `perf record --call-graph dwarf` of serve during the measured runs of forged and hookgate (first
# round) and prints the samples by stage (perf-stages.py), in microseconds of CPU per request or event.
#
# HOOKGATE_BIN and NIO200_BIN name binaries already built; otherwise both are built in release first.
# Everything listens on 127.0.0.1 or a Unix socket in the working folder (on disk, removed at exit unless
# --keep); every process started here is stopped by PID.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BENCH="${HOOKGATE_BENCH:-$(cd "$ROOT/../shared/bench" && pwd)}"
PYTHON="${PYTHON:-$HOME/.cache/hookgate-bench/.venv/bin/python}"
DURATION=10s
WARMUP=3s
CONNECTIONS=64
ROUNDS=3
ONLY="nginx nio200 nio401 forged hookgate"
PERF=0
KEEP=0
PORT=18643
SECRET="whsec_benchOnlyNotARealSecret0123456789ab"
OTHER_SECRET="whsec_benchOnlyTheWrongSecret0123456789"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -d|--duration) DURATION="$2"; shift 2 ;;
    -w|--warmup) WARMUP="$2"; shift 2 ;;
    -c|--connections) CONNECTIONS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --only) ONLY="${2//,/ }"; shift 2 ;;
    --perf) PERF=1; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d /var/tmp/hookgate-cpu-bench.XXXXXX)"
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  stop_all
  if (( KEEP )); then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== setting up the harness (nginx, wrk, Python)"
"$BENCH/setup.sh" >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log"; exit 1; }
HOOKGATE="${HOOKGATE_BIN:-$ROOT/.build/release/hookgate}"
NIO200="${NIO200_BIN:-$HERE/.build/release/NIOStatic200}"
if [[ -z "${HOOKGATE_BIN:-}" ]]; then
  echo "== building hookgate (release)"
  (cd "$ROOT" && swift build -c release --product hookgate 2>&1 | tail -1)
fi
if [[ -z "${NIO200_BIN:-}" ]]; then
  echo "== building NIOStatic200 (release)"
  (cd "$HERE" && swift build -c release --product NIOStatic200 2>&1 | tail -1)
fi
NGINX="${NGINX:-nginx}"
CLK_TCK="$(getconf CLK_TCK)"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null

# ticks PID...: utime + stime, in clock ticks, of the processes and their children.
ticks() {
  local pid total=0 child
  for pid in "$@"; do
    [[ -r "/proc/$pid/stat" ]] || continue
    total=$(( total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat") ))
    for child in $(cat "/proc/$pid/task/"*/children 2>/dev/null); do total=$(( total + $(ticks "$child") )); done
  done
  echo "$total"
}

wait_port() {
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# gen FILE N SECRET: N distinct signed requests (signed now: the tolerance is 300 s).
gen() {
  "$PYTHON" "$BENCH/peers/gen_requests.py" --out "$1" -n "$2" --secret "$3" --verify 0 >"$1.gen"
}

# load FILE DURATION OUT: wrk with the harness's replay script; prints nothing, leaves wrk's output in OUT.
load() {
  wrk -t 2 -c "$CONNECTIONS" -d "$2" --timeout 5s --latency -s "$BENCH/peers/replay.lua" \
    "https://127.0.0.1:$PORT/webhooks/stripe" -- "$1" 2 >"$3" 2>&1 || { cat "$3"; exit 1; }
}

result() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $(grep '^RESULT' "$1")"; }

# sqlite_count DB SQL: one number from the store, read-only.
sqlite_count() {
  python3 -c "import sqlite3,sys; print(sqlite3.connect('file:'+sys.argv[1]+'?mode=ro', uri=True, timeout=10).execute(sys.argv[2]).fetchone()[0])" "$1" "$2"
}

# perf_start NAME ROUND PID: with --perf, in round 1, records PID's samples until perf_stop; sets PERF_PID.
perf_start() {
  PERF_PID=""
  if (( PERF )) && [[ "$2" == 1 ]]; then
    perf record -e cpu-clock -F 499 --call-graph dwarf,16384 -p "$3" -o "$WORK/perf-$1.data" >/dev/null 2>&1 &
    PERF_PID=$!
  fi
}

# perf_stop NAME COUNT: ends the recording perf_start began and sorts its samples by stage, per COUNT.
perf_stop() {
  [[ -n "$PERF_PID" ]] || return 0
  kill -INT "$PERF_PID" 2>/dev/null || true
  wait "$PERF_PID" || true
  perf script -i "$WORK/perf-$1.data" 2>/dev/null | swift demangle --simplified |
    python3 "$HERE/perf-stages.py" --events "$2" --hz 499 >"$WORK/perf-stages-$1.txt" || true
  PERF_PID=""
}

RESULTS="$WORK/results.tsv"
printf 'round\ttarget\trps\tp99_ms\trequests\tcpu_us_per\tserve_us\tsink_us\tpeak_rss_mb\tcheck\n' >"$RESULTS"

# measure ROUND NAME PIDS...: warm-up and measured load against the target already listening; records
# requests/s, p99 and CPU per answered request.
measure() {
  local round="$1" name="$2"; shift 2
  gen "$WORK/warm.req" 20000 "$SECRET"
  gen "$WORK/main.req" 50000 "$SECRET"
  load "$WORK/warm.req" "$WARMUP" "$WORK/$name.warm.out"
  local before after requests
  before=$(ticks "$@")
  [[ "$name" == forged ]] && perf_start forged "$round" "$1"
  load "$WORK/main.req" "$DURATION" "$WORK/$name.$round.out"
  after=$(ticks "$@")
  requests=$(result "$WORK/$name.$round.out" requests)
  [[ "$name" == forged ]] && perf_stop forged "$requests"
  local check="-"
  if [[ "$name" == forged || "$name" == nio401 ]]; then
    [[ "$(result "$WORK/$name.$round.out" status_ge400)" == "$requests" ]] && check="all 401" || check="NOT ALL REFUSED"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%.1f\t-\t-\t-\t%s\n' "$round" "$name" "$(result "$WORK/$name.$round.out" rps)" \
    "$(result "$WORK/$name.$round.out" p99_ms)" "$requests" \
    "$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { print t / hz * 1e6 / n }')" \
    "$check" >>"$RESULTS"
}

run_nginx() {
  local dir="$WORK/nginx"
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_certificate $WORK/cert.pem;
  ssl_certificate_key $WORK/key.pem;
  server {
    listen 127.0.0.1:$PORT ssl;
    location = /webhooks/stripe { return 200; }
    location / { return 404; }
  }
}
EOF
  "$NGINX" -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" -g "daemon off;" &
  local pid=$!
  PIDS+=("$pid")
  wait_port || { cat "$dir/error.log"; exit 1; }
  measure "$1" nginx "$pid"
  stop_all
}

run_nio200() {
  "$NIO200" 127.0.0.1 "$PORT" "$WORK/cert.pem" "$WORK/key.pem" >"$WORK/nio200.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_port || { cat "$WORK/nio200.log"; exit 1; }
  measure "$1" nio200 "$pid"
  stop_all
}

run_nio401() {
  "$NIO200" 127.0.0.1 "$PORT" "$WORK/cert.pem" "$WORK/key.pem" "$OTHER_SECRET" >"$WORK/nio401.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_port || { cat "$WORK/nio401.log"; exit 1; }
  measure "$1" nio401 "$pid"
  stop_all
}

# The gateway's configuration: Config/hookgate.json with this run's certificate, in production mode.
write_config() {
  python3 - "$ROOT/Config/hookgate.json" "$WORK" >"$WORK/hookgate.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["mode"] = "production"
config["tls"] = {"certificate": sys.argv[2] + "/cert.pem", "private_key": sys.argv[2] + "/key.pem"}
print(json.dumps(config, indent=2))
PY
}

# start_serve DIR SECRET: serve on DIR with the endpoint secret SECRET; sets SERVE_PID.
start_serve() {
  local dir="$1"
  mkdir -p "$dir"
  (cd "$dir" && HOOKGATE_DATA_DIR="$dir" HOOKGATE_LISTEN="127.0.0.1:$PORT" STRIPE_WEBHOOK_SECRET="$2" \
    exec "$HOOKGATE" serve --config "$WORK/hookgate.json") >"$dir/serve.log" 2>&1 &
  SERVE_PID=$!
  PIDS+=("$SERVE_PID")
  wait_port || { cat "$dir/serve.log"; exit 1; }
}

run_forged() {
  local dir="$WORK/forged-$1"
  start_serve "$dir" "$OTHER_SECRET"
  measure "$1" forged "$SERVE_PID"
  stop_all
  rm -rf "$dir"
}

run_hookgate() {
  local round="$1" dir="$WORK/hookgate-$1"
  mkdir -p "$dir"
  HOOKGATE_DATA_DIR="$dir" "$HOOKGATE" sink --format json >"$dir/sink.jsonl" 2>"$dir/sink.err" &
  local sink=$!
  PIDS+=("$sink")
  for _ in $(seq 100); do [[ -S "$dir/payments.sock" ]] && break; sleep 0.05; done
  start_serve "$dir" "$SECRET"
  local db="$dir/hookgate.sqlite"
  gen "$WORK/warm.req" 20000 "$SECRET"
  gen "$WORK/main.req" 100000 "$SECRET"
  load "$WORK/warm.req" "$WARMUP" "$WORK/hookgate.warm.out"
  unfinished() { sqlite_count "$db" "SELECT COUNT(*) FROM delivery WHERE state IN ('pending', 'delivering')"; }
  for _ in $(seq 600); do [[ "$(unfinished)" == 0 ]] && break; sleep 0.1; done
  local stored_before serve_before sink_before
  stored_before=$(sqlite_count "$db" "SELECT COUNT(*) FROM delivery")
  serve_before=$(ticks "$SERVE_PID")
  sink_before=$(ticks "$sink")
  perf_start hookgate "$round" "$SERVE_PID"
  load "$WORK/main.req" "$DURATION" "$WORK/hookgate.$round.out"
  for _ in $(seq 600); do [[ "$(unfinished)" == 0 ]] && break; sleep 0.1; done
  local serve_after sink_after stored delivered ok
  serve_after=$(ticks "$SERVE_PID")
  sink_after=$(ticks "$sink")
  stored=$(( $(sqlite_count "$db" "SELECT COUNT(*) FROM delivery") - stored_before ))
  delivered=$(sqlite_count "$db" "SELECT COUNT(*) FROM delivery WHERE state = 'delivered'")
  ok=$(result "$WORK/hookgate.$round.out" ok)
  local check="stored $stored >= acked $ok, all delivered"
  (( stored >= ok )) || check="MISMATCH: stored $stored < acked $ok"
  [[ "$(unfinished)" == 0 ]] || check="$check; NOT ALL DELIVERED"
  local rss
  rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVE_PID/status")
  printf '%s\thookgate\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%s\t%s\n' "$round" "$(result "$WORK/hookgate.$round.out" rps)" \
    "$(result "$WORK/hookgate.$round.out" p99_ms)" "$stored" \
    "$(awk -v t=$((serve_after - serve_before + sink_after - sink_before)) -v hz="$CLK_TCK" -v n="$stored" 'BEGIN { print t / hz * 1e6 / n }')" \
    "$(awk -v t=$((serve_after - serve_before)) -v hz="$CLK_TCK" -v n="$stored" 'BEGIN { print t / hz * 1e6 / n }')" \
    "$(awk -v t=$((sink_after - sink_before)) -v hz="$CLK_TCK" -v n="$stored" 'BEGIN { print t / hz * 1e6 / n }')" \
    "$rss" "$check (delivered in store: $delivered)" >>"$RESULTS"
  perf_stop hookgate "$stored"
  stop_all
  rm -rf "$dir"
}

write_config
for round in $(seq "$ROUNDS"); do
  for target in $ONLY; do
    echo "== round $round: $target"
    "run_$target" "$round"
  done
done

echo
echo "== cpu-per-event, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, wrk -t 2 -c $CONNECTIONS -d $DURATION (warm-up $WARMUP)"
column -t -s $'\t' "$RESULTS"
echo
python3 - "$RESULTS" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
by_round = {}
for row in rows:
    by_round.setdefault(row["round"], {})[row["target"]] = row
def median_ratio(a, b, field, label, goal):
    ratios = [float(r[a][field]) / float(r[b][field]) for r in by_round.values() if a in r and b in r]
    if ratios:
        shown = ", ".join(f"{x:.2f}" for x in ratios)
        print(f"{label}: median {statistics.median(ratios):.2f}x  (rounds: {shown}; goal {goal})")
median_ratio("hookgate", "nginx", "cpu_us_per", "CPU per forwarded event / nginx's CPU per static 200", "<= 6x")
median_ratio("forged", "nio200", "cpu_us_per", "CPU per 401 (forged signature) / NIO's CPU per static 200", "<= 1.3x")
median_ratio("hookgate", "nginx", "rps", "hookgate events/s / nginx requests/s", ">= 0.4x")
median_ratio("nio200", "nginx", "cpu_us_per", "NIO static 200 / nginx static 200 (CPU, for reference)", "-")
median_ratio("nio401", "nio200", "cpu_us_per", "NIO + signature check, 401 / NIO static 200 (the forged path's floor)", "-")
median_ratio("forged", "nio401", "cpu_us_per", "CPU per 401 (forged signature) / NIO + signature check", "-")
PY
for name in forged hookgate; do
  if [[ -f "$WORK/perf-stages-$name.txt" ]]; then
    echo
    echo "== where serve's CPU goes in $name (perf, round 1), microseconds per request or event"
    cat "$WORK/perf-stages-$name.txt"
  fi
done
