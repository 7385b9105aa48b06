#!/usr/bin/env bash
# Ingest with one, two and three `hookgate serve` replicas (release build) sharing one PostgreSQL database on
# this box, beside PostgreSQL's own ceiling for the same rows, measured in the same run.
#
#   Benchmarks/replicas-vs-postgres.sh [-d 15s] [-w 3s] [-n 240000] [-c 64] [-t 1] [--replicas "1 2 3"] [--keep]
#
# PostgreSQL: a cluster of its own (.ci/postgres-cluster: PostgreSQL 15, fsync and synchronous_commit on) with
# pg_stat_statements loaded. The schema is made once by starting a replica against `bench_ceiling`; every
# round gets a fresh copy of it (CREATE DATABASE bench_rN TEMPLATE bench_ceiling, then CHECKPOINT).
# Replicas: HOOKGATE_DATABASE_URL=<that database>, each with its own data dir and 127.0.0.1 port, run from a
# working folder holding copies of Config/ and certs/; one `hookgate sink --format json >/dev/null` on the
# upstream socket, so every delivery is forwarded as in production (the worker's reads and updates run beside
# the appends, in the replicas' and PostgreSQL's CPU). Each replica must answer a signed request first.
# Load, per round of R replicas: one wrk per replica at the same time (-t threads each, -c connections split
# over them), each with its own freshly generated distinct signed requests (the shared harness's
# gen_requests.py and replay.lua), a -w warm-up, then the measured -d window. Per round: events/s (2xx, sum
# over the wrk processes), the worst wrk p99, CPU per event of each replica and of all of the cluster's
# postgres processes (utime+stime from /proc over the window: the postmaster, its live children, and the
# children it reaped), the mean rows per `INSERT INTO delivery` (pg_stat_statements delta), and the check that
# every acknowledged event is stored (rows counted by each request file's id tag).
# Ceiling: pgbench inserting rows shaped like the store's (its 16 columns, a real ~2.5 KB body as bytea sent
# over the wire for every row, a unique event id per row) in one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING per transaction
# (BEGIN; INSERT; COMMIT, extended protocol, as the store sends it), the batch being the mean rows per INSERT
# of the one-replica round; -c 1 (the store's committer has one insert in flight: like for like) and -c 4
# (the box's ceiling for concurrent batches), -T the same duration.
# Everything listens on 127.0.0.1, every process started here is stopped by PID, and the working folder
# (/var/tmp, on disk; the cluster lives inside it) is removed at exit unless --keep.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BENCH="${HOOKGATE_BENCH:-$(cd "$ROOT/../shared/bench" && pwd)}"
PYTHON="${PYTHON:-$HOME/.cache/hookgate-bench/.venv/bin/python}"
BIN="${HOOKGATE_BIN:-$ROOT/.build/release/hookgate}"
PGBENCH="${PGBENCH:-/usr/bin/pgbench}"
DURATION=15s
WARMUP=3s
NREQ=240000     # distinct requests per round, split over its wrk processes
CONNS=64        # connections per round, split over its wrk processes
THREADS=1       # wrk threads per wrk process
ROUNDS="1 2 3"
KEEP=0
SECRET="whsec_benchOnlyNotARealSecret0123456789ab"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -d|--duration) DURATION="$2"; shift 2 ;;
    -w|--warmup) WARMUP="$2"; shift 2 ;;
    -n) NREQ="$2"; shift 2 ;;
    -c) CONNS="$2"; shift 2 ;;
    -t) THREADS="$2"; shift 2 ;;
    --replicas) ROUNDS="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
seconds() { awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; print n }'; }
DUR_S="$(seconds "$DURATION")"
[[ " $ROUNDS " == *" 1 "* ]] || { echo "--replicas must include 1 (the ceiling's batch size comes from it)" >&2; exit 2; }

WORK="$(mktemp -d /var/tmp/hookgate-replicas-bench.XXXXXX)"
chmod 711 "$WORK"   # the cluster's directory sits inside; its server runs as user postgres when we are root
PIDS=()
PGDIR=""
stop_pid() {  # stop_pid PID: TERM, reap, and forget it (never signal a reaped PID again)
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() p
  for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "$PGDIR" ]] && "$ROOT/.ci/postgres-cluster" stop "$PGDIR" || true
  if (( KEEP )); then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CLK_TCK="$(getconf CLK_TCK)"
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# ticks PID [with-reaped-children]: utime+stime (+ cutime+cstime) of one process from /proc/PID/stat
ticks() {
  local line rest f
  read -r line <"/proc/$1/stat" 2>/dev/null || { echo 0; return; }
  rest="${line##*) }"
  read -ra f <<<"$rest"
  if [[ "${2:-}" == reaped ]]; then echo $(( f[11] + f[12] + f[13] + f[14] )); else echo $(( f[11] + f[12] )); fi
}
# All of the cluster's postgres processes: the postmaster with the children it reaped, plus its live children.
pg_ticks() {
  local pm sum child
  pm="$(head -1 "$PGDIR/data/postmaster.pid")"
  sum="$(ticks "$pm" reaped)"
  for child in $(pgrep -P "$pm" || true); do sum=$(( sum + $(ticks "$child") )); done
  echo "$sum"
}
cpu_snapshot() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; }  # total idle+iowait

# ------------------------------------------------------------------------------------------ setup
echo "== setting up the harness (wrk, Python)"
"$BENCH/setup.sh" >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log"; exit 1; }
# The checkout's release build, made now so that it is current; HOOKGATE_BIN names another binary instead.
if [[ -z "${HOOKGATE_BIN:-}" ]]; then
  echo "== building hookgate (release) in $ROOT"
  (cd "$ROOT" && swift build -c release --product hookgate >"$WORK/build.log" 2>&1) || { tail -30 "$WORK/build.log"; exit 1; }
fi
[[ -x "$BIN" ]] || { echo "no hookgate binary at $BIN" >&2; exit 1; }

echo "== starting PostgreSQL (its own cluster, fsync on, synchronous_commit on) with pg_stat_statements"
eval "$(TMPDIR="$WORK" "$ROOT/.ci/postgres-cluster" start)"
PGDIR="$HOOKGATE_TEST_POSTGRES_DIR"
PGBASE="${HOOKGATE_TEST_POSTGRES_URL%/*}"
as_pg_owner() { if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi; }
printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track_planning = on\n" | as_pg_owner tee -a "$PGDIR/data/postgresql.auto.conf" >/dev/null
"$ROOT/.ci/postgres-cluster" pause "$PGDIR" 2>/dev/null
"$ROOT/.ci/postgres-cluster" resume "$PGDIR" 2>/dev/null
sql() { local db="$1"; shift; psql "$PGBASE/$db" -XAtq -v ON_ERROR_STOP=1 -c "$*"; }
sql postgres "CREATE EXTENSION pg_stat_statements"
PG_VERSION="$(sql postgres "SHOW server_version")"
echo "   PostgreSQL $PG_VERSION in $PGDIR ($PGBASE); fsync=$(sql postgres "SHOW fsync"), synchronous_commit=$(sql postgres "SHOW synchronous_commit")"

cp -r "$ROOT/Config" "$ROOT/certs" "$WORK/"
REPLICA_PIDS=()
REPLICA_PORTS=()
start_replica() {  # start_replica INDEX DATABASE: starts serve, waits until it answers a signed request 200
  local i="$1" db="$2" port pid log
  port="$(free_port)"
  log="$WORK/r$i-$db.log"
  mkdir -p "$WORK/r$i"
  (cd "$WORK" && HOOKGATE_DATABASE_URL="$PGBASE/$db" HOOKGATE_DATA_DIR="$WORK/r$i" HOOKGATE_LISTEN="127.0.0.1:$port" \
    HOOKGATE_UPSTREAM_SOCKET="$WORK/payments.sock" STRIPE_WEBHOOK_SECRET="$SECRET" exec "$BIN" serve >"$log" 2>&1) &
  pid=$!
  PIDS+=("$pid")
  for _ in $(seq 300); do grep -q "listening" "$log" 2>/dev/null && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  grep -q "listening" "$log" || { cat "$log"; echo "replica $i did not start" >&2; exit 1; }
  REPLICA_PIDS[$i]="$pid"
  REPLICA_PORTS[$i]="$port"
}
smoke() {  # smoke INDEX REQUEST_FILE
  local out
  out="$("$PYTHON" "$BENCH/peers/send_one.py" "https://127.0.0.1:${REPLICA_PORTS[$1]}/webhooks/stripe" "$2")"
  [[ "$out" == *"valid=20"* ]] || { echo "replica $1 did not accept a valid request: $out" >&2; exit 1; }
}

echo "== hookgate sink on $WORK/payments.sock (--format json >/dev/null): deliveries are forwarded as in production"
"$BIN" sink --socket "$WORK/payments.sock" --format json >/dev/null 2>"$WORK/sink.log" &
SINK_PID=$!
PIDS+=("$SINK_PID")
for _ in $(seq 100); do [[ -S "$WORK/payments.sock" ]] && break; sleep 0.1; done
[[ -S "$WORK/payments.sock" ]] || { cat "$WORK/sink.log"; exit 1; }

echo "== schema: one replica migrates bench_ceiling (the template of every round's database)"
sql postgres "CREATE DATABASE bench_ceiling"
start_replica 1 bench_ceiling
stop_pid "${REPLICA_PIDS[1]}"
sql bench_ceiling "SELECT count(*) FROM hookgate_schema_migrations" >/dev/null

# ------------------------------------------------------------------------------------------ rounds
dbid() { sql postgres "SELECT oid FROM pg_database WHERE datname = '$1'"; }
pgss() {  # pgss DB [LIKE] -> "calls rows exec_ms" of the INSERT INTO delivery statements in DB
  sql postgres "SELECT coalesce(sum(calls), 0) || ' ' || coalesce(sum(rows), 0) || ' ' || round(coalesce(sum(total_exec_time), 0)::numeric, 3)
                FROM pg_stat_statements WHERE dbid = $(dbid "$1") AND query LIKE '${2:-INSERT INTO delivery %}'"
}
get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
delivered() { sql "$1" "SELECT count(*) FROM delivery WHERE state = 'delivered'"; }
stored_by_tag() { sql "$1" "SELECT count(*) FROM delivery WHERE event_id LIKE 'evt\\_$2%'"; }

declare -A RES
run_round() {
  local R="$1" db="bench_r$1" i
  echo
  echo "== round: $R replica(s) on database $db"
  sql postgres "CREATE DATABASE $db TEMPLATE bench_ceiling"
  sql postgres "CHECKPOINT"
  local per=$(( NREQ / R ))
  local conns=() tags=() wrk=() files=()
  for (( i = 1; i <= R; i++ )); do
    conns[$i]=$(( CONNS / R + (i <= CONNS % R ? 1 : 0) ))
    "$PYTHON" "$BENCH/peers/gen_requests.py" --out "$WORK/warm$i.req" -n 20000 --secret "$SECRET" --verify 20 >/dev/null
    "$PYTHON" "$BENCH/peers/gen_requests.py" --out "$WORK/main$i.req" -n "$per" --secret "$SECRET" --verify 200 >"$WORK/gen$i.out"
    tags[$i]="$(sed -n 's/.* tag=\([A-Za-z0-9]*\) .*/\1/p' "$WORK/gen$i.out")"
  done
  echo "   requests: $R x $(sed -n 's/.* n=\([0-9]*\) .*body_min=\([0-9]*\) body_avg=\([0-9]*\) body_max=\([0-9]*\).*/\1 distinct, bodies \2\/\3\/\4 B min\/avg\/max/p' "$WORK/gen1.out")"
  for (( i = 1; i <= R; i++ )); do
    start_replica "$i" "$db"
    smoke "$i" "$WORK/warm$i.req"
  done
  echo "   replicas: $(for (( i = 1; i <= R; i++ )); do printf 'r%d pid %s 127.0.0.1:%s  ' "$i" "${REPLICA_PIDS[$i]}" "${REPLICA_PORTS[$i]}"; done)"
  local args=(--timeout 5s --latency -s "$BENCH/peers/replay.lua")
  # One wrk per replica, started together, for $1 with the request files $2<i>.req (output $2<R>-<i>.out).
  start_wrks() {
    for (( i = 1; i <= R; i++ )); do
      wrk -t "$THREADS" -c "${conns[$i]}" "${args[@]}" -d "$1" "https://127.0.0.1:${REPLICA_PORTS[$i]}/webhooks/stripe" \
        -- "$WORK/$2$i.req" "$THREADS" >"$WORK/$2$R-$i.out" 2>&1 &
      wrk[$i]=$!; PIDS+=("${wrk[$i]}")
    done
  }
  echo "   warm-up: $R x wrk -t $THREADS -c ${conns[*]:1} -d $WARMUP"
  start_wrks "$WARMUP" warm
  for (( i = 1; i <= R; i++ )); do wait "${wrk[$i]}" || { cat "$WORK/warm$R-$i.out"; exit 1; }; stop_pid "${wrk[$i]}"; done

  echo "   run: $R x wrk -t $THREADS -c ${conns[*]:1} -d $DURATION (at the same time)"
  start_wrks "$DURATION" main
  # The window: from "every wrk has loaded its requests" (replay.lua's marker; wrk's clock starts then) to
  # just before the first of them ends.
  local first="" ready n
  for (( n = 0; n < 3600; n++ )); do  # bounded: 180 s to load the request files
    ready=0
    for (( i = 1; i <= R; i++ )); do [[ -e "$WORK/main$i.req.ready.${wrk[$i]}" ]] && ready=$(( ready + 1 )); done
    (( ready > 0 )) && [[ -z "$first" ]] && first="$EPOCHREALTIME"
    (( ready == R )) && break
    sleep 0.05
  done
  (( ready == R )) || { echo "the wrk processes did not get going" >&2; exit 1; }
  local q0 q1 w0 w1 pg0 pg1 k0=() k1=() g0=0 g1=0
  q0="$(pgss "$db")"
  local d0 d1; d0="$(delivered "$db")"
  local st0=($(cpu_snapshot))
  pg0="$(pg_ticks)"
  for (( i = 1; i <= R; i++ )); do k0[$i]="$(ticks "${REPLICA_PIDS[$i]}")"; g0=$(( g0 + $(ticks "${wrk[$i]}") )); done
  w0="$EPOCHREALTIME"
  sleep "$(awk -v f="$first" -v now="$w0" -v d="$DUR_S" 'BEGIN { s = f + (d > 1.5 ? d - 0.5 : d * 0.7) - now; print (s > 0.1 ? s : 0.1) }')"
  w1="$EPOCHREALTIME"
  for (( i = 1; i <= R; i++ )); do k1[$i]="$(ticks "${REPLICA_PIDS[$i]}")"; g1=$(( g1 + $(ticks "${wrk[$i]}") )); done
  pg1="$(pg_ticks)"
  local st1=($(cpu_snapshot))
  q1="$(pgss "$db")"
  d1="$(delivered "$db")"
  for (( i = 1; i <= R; i++ )); do wait "${wrk[$i]}" || { cat "$WORK/main$R-$i.out"; exit 1; }; stop_pid "${wrk[$i]}"; done
  local win; win="$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')"

  # Per wrk: 2xx/s, p99, and the stored check by the request file's tag (once the counts settle).
  local total=0 worst=0 nonok=0 sockerr=0 check="OK" cpu_rep="" r line ok sent distinct wraps rps p99 stored prev
  for (( i = 1; i <= R; i++ )); do
    line="$(grep '^RESULT' "$WORK/main$R-$i.out")" || { cat "$WORK/main$R-$i.out"; exit 1; }
    ok="$(get ok "$line")"; sent="$(get sent "$line")"; distinct="$(get distinct_sent "$line")"; wraps="$(get wraps "$line")"
    rps="$(awk -v o="$ok" -v s="$(get duration_s "$line")" 'BEGIN { printf "%.1f", o / s }')"
    p99="$(get p99_ms "$line")"
    total="$(awk -v a="$total" -v b="$rps" 'BEGIN { print a + b }')"
    worst="$(awk -v a="$worst" -v b="$p99" 'BEGIN { print (b > a ? b : a) }')"
    nonok=$(( nonok + $(get status_ge400 "$line") ))
    sockerr=$(( sockerr + $(get connect_err "$line") + $(get read_err "$line") + $(get write_err "$line") + $(get timeouts "$line") ))
    prev=-1; stored="$(stored_by_tag "$db" "${tags[$i]}")"
    for (( n = 0; n < 20 && stored != prev; n++ )); do sleep 0.5; prev="$stored"; stored="$(stored_by_tag "$db" "${tags[$i]}")"; done
    if (( wraps == 0 )); then
      if (( stored >= ok && stored <= sent )); then
        r="r$i OK: stored $stored >= acked 2xx $ok (+$(( stored - ok )) in flight at wrk stop, sent $sent)"
      else
        r="r$i MISMATCH: stored $stored, acked 2xx $ok, sent $sent"; check="MISMATCH"
      fi
    else
      if (( stored == distinct )); then
        r="r$i OK: stored $stored == distinct sent (file wrapped $wraps x; acked 2xx $ok incl. duplicates)"
      else
        r="r$i MISMATCH: stored $stored, distinct sent $distinct (wrapped), acked 2xx $ok"; check="MISMATCH"
      fi
    fi
    local ev; ev="$(awk -v r="$rps" -v w="$win" 'BEGIN { print r * w }')"
    local ms; ms="$(awk -v t=$(( k1[i] - k0[i] )) -v hz="$CLK_TCK" -v e="$ev" 'BEGIN { printf "%.3f", e ? 1000 * t / hz / e : 0 }')"
    cpu_rep+="${cpu_rep:+ / }$ms"
    printf '   r%d: %s 2xx/s, p50 %s ms, p99 %s ms, status>=400 %s, socket errors c/r/w/t %s/%s/%s/%s, replica CPU %s ms/event (%.0f%% of one CPU)\n' \
      "$i" "$rps" "$(get p50_ms "$line")" "$p99" "$(get status_ge400 "$line")" "$(get connect_err "$line")" "$(get read_err "$line")" \
      "$(get write_err "$line")" "$(get timeouts "$line")" "$ms" "$(awk -v t=$(( k1[i] - k0[i] )) -v hz="$CLK_TCK" -v w="$win" 'BEGIN { print 100 * t / hz / w }')"
    echo "       stored: $r"
  done
  local pgms busy rows_per
  pgms="$(awk -v t=$(( pg1 - pg0 )) -v hz="$CLK_TCK" -v e="$total" -v w="$win" 'BEGIN { printf "%.3f", 1000 * t / hz / (e * w) }')"
  busy="$(awk -v t=$(( st1[0] - st0[0] )) -v i=$(( st1[1] - st0[1] )) 'BEGIN { printf "%.0f", t ? 100 * (t - i) / t : 0 }')"
  rows_per="$(awk -v a="$q0" -v b="$q1" 'BEGIN { split(a, x, " "); split(b, y, " "); c = y[1] - x[1]
    printf "%.1f %d %d %.2f", c ? (y[2] - x[2]) / c : 0, c, y[2] - x[2], c ? (y[3] - x[3]) / c : 0 }')"
  local fwd; fwd="$(awk -v a="$d0" -v b="$d1" -v w="$win" 'BEGIN { printf "%.0f", (b - a) / w }')"
  echo "   delivered to the sink in the window: $fwd/s (the worker keeps up when this matches the 2xx/s)"
  echo "   total: $total 2xx/s, worst p99 $worst ms; PostgreSQL CPU $pgms ms/event ($(awk -v t=$(( pg1 - pg0 )) -v hz="$CLK_TCK" -v w="$win" 'BEGIN { printf "%.0f", 100 * t / hz / w }')% of one CPU); wrk $(awk -v t=$(( g1 - g0 )) -v hz="$CLK_TCK" -v w="$win" 'BEGIN { printf "%.0f", 100 * t / hz / w }')% of one CPU; box busy $busy% of $(nproc) CPUs; window $(printf '%.2f' "$win") s"
  read -r mean calls rows exec <<<"$rows_per"
  echo "   INSERT INTO delivery in the window: $calls statements, $rows rows, $mean rows per INSERT, $exec ms mean execution in the server"
  RES[$R]="$total|$worst|$cpu_rep|$pgms|$mean|$check|$nonok|$sockerr|$busy|$fwd"
  for (( i = 1; i <= R; i++ )); do stop_pid "${REPLICA_PIDS[$i]}"; done
  if (( R == 1 )); then
    # the ceiling's row: a real body and signature header of this round
    PEERS="$BENCH/peers" "$PYTHON" -c '
import os, sys
sys.path.insert(0, os.environ["PEERS"])
from gen_requests import read_records
sig, body = next(read_records(sys.argv[1], limit=1))
open(sys.argv[2], "wb").write(body)
open(sys.argv[3], "w").write(sig)
' "$WORK/main1.req" "$WORK/body.json" "$WORK/sig.txt"
  fi
  { echo "$R replica(s):"
    sql postgres "SELECT lpad(calls::text, 8) || ' calls ' || lpad(rows::text, 8) || ' rows '
                    || lpad(round(total_plan_time + total_exec_time)::text, 7) || ' ms  ' || regexp_replace(query, '\s+', ' ', 'g')
                  FROM pg_stat_statements WHERE dbid = $(dbid "$db") ORDER BY total_plan_time + total_exec_time DESC LIMIT 12" \
      | cut -c1-160; } >>"$WORK/statements.txt"
  sql postgres "DROP DATABASE $db"
  rm -f "$WORK"/warm*.req "$WORK"/main*.req
}

for R in $ROUNDS; do run_round "$R"; done

# ------------------------------------------------------------------------------------------ the ceiling
IFS='|' read -r _ _ _ _ MEAN1 _ <<<"${RES[1]}"
BATCH="$(awk -v m="$MEAN1" 'BEGIN { b = int(m + 0.5); print (b < 1 ? 1 : b) }')"
# pgbench binds at most 255 parameters a statement, so the batch's bodies travel as a few text parameters of up
# to 40 copies of a real body each (one argument stays under the kernel's 128 KiB), are joined once (a
# MATERIALIZED CTE) and cut into one body per row: the same bytes on the wire as the store's per-row binds. The
# other columns are the store's values as literals; the event id is unique per row (a sequence).
BODY="$(cat "$WORK/body.json")"
BODY_LEN="${#BODY}"
CHUNK=40
CHUNKS=$(( (BATCH + CHUNK - 1) / CHUNK ))
NOW_MS="$(date +%s%3N)"
SIG="$(cat "$WORK/sig.txt")"
SCRIPT="$WORK/insert.sql"
BODY_ARGS=()
{
  echo "BEGIN;"
  printf "WITH b AS MATERIALIZED (SELECT convert_to("
  for (( k = 1; k <= CHUNKS; k++ )); do
    n=$(( k < CHUNKS ? CHUNK : BATCH - (CHUNKS - 1) * CHUNK ))
    BODY_ARGS+=(-D "bodies$k=$(for (( j = 0; j < n; j++ )); do printf '%s' "$BODY"; done)")
    printf "%s:bodies%d::text" "$([[ $k -gt 1 ]] && echo ' || ')" "$k"
  done
  echo ", 'UTF8') AS bodies)"
  echo "INSERT INTO delivery (endpoint, event_id, event_type, event_created_ms, received_at_ms, body, signature_header,"
  echo "  content_type, user_agent, request_id, peer_address, key_label, routed, state, next_attempt_at_ms, updated_at_ms)"
  echo "SELECT 'stripe', 'evt_pgbench_' || lpad(nextval('bench_event')::text, 16, '0'), 'payment_intent.succeeded',"
  echo "  $(( NOW_MS - 2000 )), $NOW_MS, substring(b.bodies FROM g * $BODY_LEN + 1 FOR $BODY_LEN), '$SIG',"
  echo "  'application/json; charset=utf-8', 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', NULL, '127.0.0.1:50000',"
  echo "  'current', true, 'pending', $NOW_MS, $NOW_MS"
  echo "FROM b, generate_series(0, $(( BATCH - 1 ))) AS g"
  echo "ON CONFLICT (endpoint, event_id) DO NOTHING"
  echo "RETURNING id, endpoint, event_id;"
  echo "COMMIT;"
} >"$SCRIPT"
declare -A CEIL
run_pgbench() {  # run_pgbench CLIENTS
  local c="$1" db="bench_ceiling_c$1" before after t0 t1 out tps txs
  sql postgres "CREATE DATABASE $db TEMPLATE bench_ceiling"
  sql "$db" "CREATE SEQUENCE bench_event"
  sql postgres "CHECKPOINT"
  before="$(sql "$db" "SELECT count(*) FROM delivery")"
  echo
  echo "== ceiling: pgbench -n -M extended -c $c -j $(( c < 2 ? c : 2 )) -T $DUR_S, $BATCH rows per INSERT (BEGIN; INSERT ... ON CONFLICT DO NOTHING RETURNING; COMMIT)"
  "$PGBENCH" -n -M extended -f "$SCRIPT" -c "$c" -j $(( c < 2 ? c : 2 )) -T "$DUR_S" \
    "${BODY_ARGS[@]}" "$PGBASE/$db" >"$WORK/pgbench-c$c.out" 2>&1 &
  local pid=$! n; PIDS+=("$pid")
  # The window, as for the replicas: from "every client is connected" to just before the end, so that the
  # backends are alive at both ends.
  for (( n = 0; n < 100; n++ )); do
    (( $(sql postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND application_name = 'pgbench'") >= c )) && break
    sleep 0.05
  done
  local w0 w1; w0="$EPOCHREALTIME"; t0="$(pg_ticks)"
  sleep "$(awk -v d="$DUR_S" 'BEGIN { print (d > 1.5 ? d - 0.7 : d * 0.6) }')"
  t1="$(pg_ticks)"; w1="$EPOCHREALTIME"
  wait "$pid" || { cat "$WORK/pgbench-c$c.out"; exit 1; }
  stop_pid "$pid"
  after="$(sql "$db" "SELECT count(*) FROM delivery")"
  txs="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/pgbench-c$c.out")"
  tps="$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$WORK/pgbench-c$c.out")"
  local rows=$(( after - before ))
  local rps; rps="$(awk -v t="$tps" -v b="$BATCH" 'BEGIN { printf "%.1f", t * b }')"
  local ms; ms="$(awk -v t=$(( t1 - t0 )) -v hz="$CLK_TCK" -v r="$rps" -v a="$w0" -v b="$w1" 'BEGIN { printf "%.3f", r ? 1000 * t / hz / (r * (b - a)) : 0 }')"
  local pct; pct="$(awk -v t=$(( t1 - t0 )) -v hz="$CLK_TCK" -v a="$w0" -v b="$w1" 'BEGIN { printf "%.0f", 100 * t / hz / (b - a) }')"
  local q; q="$(pgss "$db" '%INSERT INTO delivery %')"
  grep -E '^(latency average|tps|number of failed)' "$WORK/pgbench-c$c.out" | sed 's/^/   /'
  echo "   rows: $rows inserted (= $txs transactions x $BATCH: $([[ $rows -eq $(( txs * BATCH )) ]] && echo yes || echo NO)); $rps rows/s; PostgreSQL CPU $ms ms/row ($pct% of one CPU)"
  echo "   the INSERT: $(awk -v q="$q" 'BEGIN { split(q, x, " "); printf "%d statements, %d rows, %.2f ms mean execution in the server", x[1], x[2], x[1] ? x[3] / x[1] : 0 }')"
  echo "   stored bodies: $(sql "$db" "SELECT min(length(body)) || '-' || max(length(body)) || ' B, ' || count(DISTINCT event_id) || ' distinct event ids' FROM delivery")"
  CEIL[$c]="$rps|$ms|$tps"
  sql postgres "DROP DATABASE $db"
}
run_pgbench 1
run_pgbench 4

# ------------------------------------------------------------------------------------------ the table
echo
echo "The store's statements in each round (pg_stat_statements: calls, rows, planning + execution time in the server; most time first, cut at 160 characters):"
sed 's/^/   /' "$WORK/statements.txt"
echo
echo "== replicas-vs-postgres, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, PostgreSQL $PG_VERSION, hookgate $BIN (built $(date -u -r "$BIN" +%H:%M:%SZ))"
echo "   checkout $(git -C "$ROOT" log --oneline -1 | cut -c1-60)...; load per round: $CONNS connections over one wrk -t $THREADS per replica, -d $DURATION after -w $WARMUP; sink forwarding on"
printf '%-9s %11s %12s %9s %-27s %14s %9s %10s  %s\n' replicas "events/s" "delivered/s" "p99 ms" "CPU ms/event per replica" "PG CPU ms/ev" "rows/INS" "box busy" "acked events stored"
for R in $ROUNDS; do
  IFS='|' read -r total worst cpu pgms mean check nonok sockerr busy fwd <<<"${RES[$R]}"
  printf '%-9s %11.0f %12s %9s %-27s %14s %9s %9s%%  %s%s\n' "$R" "$total" "$fwd" "$worst" "$cpu" "$pgms" "$mean" "$busy" "$check" \
    "$( (( nonok + sockerr )) && echo " (status>=400: $nonok, socket errors: $sockerr)" )"
done
for c in 1 4; do
  IFS='|' read -r rps ms tps <<<"${CEIL[$c]}"
  printf 'pgbench -c %d, %d rows per INSERT: %.0f rows/s (%.0f transactions/s), PostgreSQL CPU %s ms/row%s\n' "$c" "$BATCH" "$rps" "$tps" "$ms" \
    "$([[ $c == 1 ]] && echo "  (like for like: one insert in flight)" || echo "  (the box's ceiling for concurrent batches)")"
done
IFS='|' read -r total1 _ <<<"${RES[1]}"
IFS='|' read -r ceil1 _ <<<"${CEIL[1]}"
awk -v h="$total1" -v c="$ceil1" 'BEGIN { printf "one replica / pgbench -c 1: %.2f (goal >= 0.5)\n", h / c }'
