#!/usr/bin/env bash
# Issue 16: the reads behind the dashboard's pages on a store of COUNT deliveries (default 1,000,000) received over
# the last SPAN_HOURS hours (default 24), SQLite, then PostgreSQL when HOOKGATE_TEST_POSTGRES_URL is set:
#
#   Benchmarks/dashboard-queries.sh [COUNT] [SPAN_HOURS]
#   .ci/postgres-cluster run -- Benchmarks/dashboard-queries.sh [COUNT] [SPAN_HOURS]     # both backends
#
# The store is created (migrated) by the store itself, then filled with SQL in one transaction (sqlite3, psql):
# ids scattered over the received times (ids do not follow receipt), 97 % delivered 5-504 ms after receipt, 1 %
# dead, 1 % skipped, 0.5 % pending, 0.5 % delivering; endpoints stripe (80 %) and connect; four event types; key
# labels current (90 %) and previous; a subject shared by 5 deliveries; ~700-byte bodies. PostgreSQL is then
# VACUUM ANALYZEd, as its autovacuum would; SQLite is not analyzed (the store never runs ANALYZE).
# The plans of the store's statements are printed (which index each uses), then DashboardQueriesBenchmark times
# each read through the store, as `serve` runs it.
set -euo pipefail

count=${1:-1000000}
span_hours=${2:-24}
cd "$(dirname "$0")"
nice -n 19 swift build -c release --product DashboardQueriesBenchmark >&2
bin="$(swift build -c release --show-bin-path)/DashboardQueriesBenchmark"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

span=$((span_hours * 3600000))
now=$(date +%s%3N)
# The newest receipt two minutes ago, so that every update time (at most a minute after receipt) is in the past.
start=$((now - span - 120000))

# The rows, in SQL both databases read: $1 is the series of i (1...count) as a FROM item.
rows() {
    cat <<SQL
SELECT i,
    CASE WHEN i % 5 = 0 THEN 'connect' ELSE 'stripe' END AS endpoint,
    'evt_bench_' || i AS event_id,
    CASE i % 4 WHEN 0 THEN 'payment_intent.succeeded' WHEN 1 THEN 'payment_intent.payment_failed'
        WHEN 2 THEN 'charge.refunded' ELSE 'refund.updated' END AS event_type,
    r - 1500 AS event_created_ms, r AS received_at_ms,
    't=' || (r / 1000) || ',v1=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' AS signature_header,
    'application/json' AS content_type, 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' AS user_agent,
    CASE WHEN i % 7 = 0 THEN 'previous' ELSE 'current' END AS key_label,
    state,
    CASE state WHEN 'dead' THEN 8 WHEN 'pending' THEN 1 WHEN 'delivering' THEN 0 WHEN 'skipped' THEN 0 ELSE 1 END
        AS attempt_count,
    CASE state WHEN 'pending' THEN r + 30000 WHEN 'delivering' THEN r + 60000 END AS next_attempt_at_ms,
    CASE state WHEN 'delivering' THEN 'bench' END AS lease_token,
    CASE state WHEN 'delivering' THEN r + 60000 END AS lease_expires_at_ms,
    CASE state WHEN 'dead' THEN 'upstream answered 500' WHEN 'pending' THEN 'upstream answered 503' END AS last_error,
    CASE state WHEN 'delivered' THEN r + 5 + (i * 31) % 500 WHEN 'dead' THEN r + 60000 ELSE r + 2 END
        AS updated_at_ms,
    CASE WHEN state = 'skipped' THEN NULL ELSE r + 2 END AS prepared_at_ms,
    CASE WHEN state = 'skipped' THEN NULL ELSE 'pi_' || (i % 200000) END AS ordering_key,
    CASE WHEN state = 'skipped' THEN NULL WHEN i % 4 = 0 THEN 'payment-succeeded' WHEN i % 4 = 1
        THEN 'payment-failed' ELSE 'refund-processed' END AS catalog_type,
    CASE WHEN state = 'skipped' THEN NULL ELSE 'pi_' || (i % 200000) END AS subject,
    CASE WHEN state = 'skipped' THEN 'unmapped: refund.updated' END AS skip_reason
FROM (
    SELECT i, $start + (i * 2654435761) % $span AS r,
        CASE WHEN (i * 7919) % 1000 < 10 THEN 'dead' WHEN (i * 7919) % 1000 < 20 THEN 'skipped'
            WHEN (i * 7919) % 1000 < 25 THEN 'pending' WHEN (i * 7919) % 1000 < 30 THEN 'delivering'
            ELSE 'delivered' END AS state
    FROM $1
) AS generated
SQL
}

columns="id, endpoint, event_id, event_type, event_created_ms, received_at_ms, signature_header, content_type,
    user_agent, key_label, routed, state, attempt_count, next_attempt_at_ms, lease_token, lease_expires_at_ms,
    last_error, updated_at_ms, prepared_at_ms, ordering_key, catalog_type, subject, skip_reason"
selected="i, endpoint, event_id, event_type, event_created_ms, received_at_ms, signature_header, content_type,
    user_agent, key_label, true, state, attempt_count, next_attempt_at_ms, lease_token, lease_expires_at_ms,
    last_error, updated_at_ms, prepared_at_ms, ordering_key, catalog_type, subject, skip_reason"
body="'{\"id\":\"' || event_id || '\",\"object\":\"event\",\"type\":\"' || event_type
    || '\",\"data\":{\"object\":{\"id\":\"pi_' || (ROW % 200000) || '\",\"amount\":2000,\"currency\":\"usd\",'
    || '\"metadata\":{\"note\":\"' || PADDING || '\"}}}}'"

# The body of a row: $1 its id column, $2 the SQL of 512 characters of padding.
sql_body() {
    local text=${body//ROW/$1}
    echo "${text//PADDING/$2}"
}

echo "== SQLite: $count deliveries over $span_hours h"
"$bin" migrate sqlite "$work/bench.sqlite"
started=$(date +%s)
sqlite3 "$work/bench.sqlite" >/dev/null <<SQL
PRAGMA synchronous = OFF;
BEGIN;
INSERT INTO delivery ($columns)
SELECT $selected FROM ($(rows "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count) SELECT i FROM n)"));
INSERT INTO delivery_body (delivery_id, body) SELECT id, CAST($(sql_body id "hex(zeroblob(256))") AS BLOB) FROM delivery;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "filled in $(($(date +%s) - started)) s, $(du -h "$work/bench.sqlite" | cut -f1)"
echo "-- the plans of the store's statements (EXPLAIN QUERY PLAN)"
sqlite3 "$work/bench.sqlite" <<'SQL'
.print '-- list: first page'
EXPLAIN QUERY PLAN SELECT d.id, b.body FROM delivery d JOIN delivery_body b ON b.delivery_id = d.id ORDER BY received_at_ms DESC, id DESC LIMIT 51;
.print '-- list: state=dead, before a cursor'
EXPLAIN QUERY PLAN SELECT d.id, b.body FROM delivery d JOIN delivery_body b ON b.delivery_id = d.id WHERE state = 'dead' AND (received_at_ms, id) < (1, 2) ORDER BY received_at_ms DESC, id DESC LIMIT 51;
.print '-- list: endpoint and type'
EXPLAIN QUERY PLAN SELECT d.id, b.body FROM delivery d JOIN delivery_body b ON b.delivery_id = d.id WHERE endpoint = 'connect' AND event_type = 'charge.refunded' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
.print '-- list: subject'
EXPLAIN QUERY PLAN SELECT d.id FROM delivery d WHERE subject = 'pi_1' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
.print '-- list: catalog type'
EXPLAIN QUERY PLAN SELECT d.id FROM delivery d WHERE catalog_type = 'payment-failed' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
.print '-- list: event id'
EXPLAIN QUERY PLAN SELECT d.id FROM delivery d WHERE event_id = 'evt_1' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
.print '-- count: all / state / endpoint / since'
EXPLAIN QUERY PLAN SELECT COUNT(*) FROM delivery;
EXPLAIN QUERY PLAN SELECT COUNT(*) FROM delivery WHERE state = 'dead';
EXPLAIN QUERY PLAN SELECT COUNT(*) FROM delivery WHERE endpoint = 'stripe';
EXPLAIN QUERY PLAN SELECT COUNT(*) FROM delivery WHERE received_at_ms >= 1;
.print '-- overview: by state (each but delivered; the total is count: all), per minute, latency'
EXPLAIN QUERY PLAN SELECT COUNT(*) FROM delivery WHERE state = 'pending';
EXPLAIN QUERY PLAN SELECT COUNT(*) FROM delivery WHERE received_at_ms >= 1 AND received_at_ms < 2;
EXPLAIN QUERY PLAN SELECT COUNT(*) FROM delivery INDEXED BY delivery_delivered WHERE state = 'delivered' AND updated_at_ms >= 1 AND updated_at_ms < 2;
EXPLAIN QUERY PLAN SELECT updated_at_ms - received_at_ms FROM delivery INDEXED BY delivery_delivered WHERE state = 'delivered' AND updated_at_ms >= 1 AND updated_at_ms < 2 AND replay_count = 0 ORDER BY updated_at_ms DESC LIMIT 10000;
.print '-- endpoints: key labels'
EXPLAIN QUERY PLAN SELECT endpoint, key_label, COUNT(*), MAX(received_at_ms) FROM (SELECT endpoint, key_label, received_at_ms FROM delivery WHERE received_at_ms >= 1 ORDER BY received_at_ms DESC LIMIT 10000) GROUP BY endpoint, key_label ORDER BY endpoint, COUNT(*) DESC, key_label IS NULL, key_label;
SQL
"$bin" time sqlite "$work/bench.sqlite"
rm -f "$work"/bench.sqlite*

if [ -n "${HOOKGATE_TEST_POSTGRES_URL:-}" ]; then
    echo "== PostgreSQL: $count deliveries over $span_hours h"
    psql -q "$HOOKGATE_TEST_POSTGRES_URL" -c "CREATE DATABASE hookgate_dashboard_bench"
    url="${HOOKGATE_TEST_POSTGRES_URL%/*}/hookgate_dashboard_bench"
    "$bin" migrate postgres "$url"
    started=$(date +%s)
    psql -q -v ON_ERROR_STOP=1 "$url" <<SQL
SET synchronous_commit = off;
INSERT INTO delivery (id, endpoint, event_id, event_type, event_created_ms, received_at_ms, signature_header,
    content_type, user_agent, key_label, routed, state, attempt_count, next_attempt_at_ms, lease_token,
    lease_expires_at_ms, last_error, updated_at_ms, prepared_at_ms, ordering_key, catalog_type, subject, skip_reason,
    body)
OVERRIDING SYSTEM VALUE
SELECT $selected, convert_to($(sql_body i "repeat('00', 256)"), 'UTF8')
FROM ($(rows "generate_series(1::bigint, $count::bigint) AS n(i)")) AS generated_rows;
VACUUM ANALYZE delivery;
SQL
    echo "filled in $(($(date +%s) - started)) s, $(psql -tA "$url" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")"
    echo "-- the plans of the store's statements (EXPLAIN)"
    psql -q -v hour_ago=$((start + span + 120000 - 3600000)) "$url" <<'SQL'
\echo '-- list: first page'
EXPLAIN (COSTS OFF) SELECT * FROM delivery ORDER BY received_at_ms DESC, id DESC LIMIT 51;
\echo '-- list: state=dead, before a cursor'
EXPLAIN (COSTS OFF) SELECT * FROM delivery WHERE state = 'dead' AND (received_at_ms, id) < (:hour_ago, 500000) ORDER BY received_at_ms DESC, id DESC LIMIT 51;
\echo '-- list: endpoint and type'
EXPLAIN (COSTS OFF) SELECT * FROM delivery WHERE endpoint = 'connect' AND event_type = 'charge.refunded' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
\echo '-- list: subject / catalog type / event id'
EXPLAIN (COSTS OFF) SELECT * FROM delivery WHERE subject = 'pi_4242' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
EXPLAIN (COSTS OFF) SELECT * FROM delivery WHERE catalog_type = 'payment-failed' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
EXPLAIN (COSTS OFF) SELECT * FROM delivery WHERE event_id = 'evt_bench_1' ORDER BY received_at_ms DESC, id DESC LIMIT 51;
\echo '-- count: all / state / endpoint / since'
EXPLAIN (COSTS OFF) SELECT count(*) FROM delivery;
EXPLAIN (COSTS OFF) SELECT count(*) FROM delivery WHERE state = 'dead';
EXPLAIN (COSTS OFF) SELECT count(*) FROM delivery WHERE endpoint = 'stripe';
EXPLAIN (COSTS OFF) SELECT count(*) FROM delivery WHERE received_at_ms >= :hour_ago;
\echo '-- overview: by state (the total is count: all), received per minute, delivered per minute, latency'
EXPLAIN (COSTS OFF) SELECT state, count(*) AS count FROM delivery
    WHERE state = ANY('{pending,delivering,skipped,dead}') GROUP BY state;
EXPLAIN (COSTS OFF) SELECT minute, (SELECT count(*) FROM delivery WHERE received_at_ms >= :hour_ago + minute * 60000 AND received_at_ms < :hour_ago + (minute + 1) * 60000) FROM generate_series(0::bigint, 59) AS minute;
EXPLAIN (COSTS OFF) SELECT minute, (SELECT count(*) FROM delivery WHERE state = 'delivered' AND updated_at_ms >= :hour_ago + minute * 60000 AND updated_at_ms < :hour_ago + (minute + 1) * 60000) FROM generate_series(0::bigint, 59) AS minute;
EXPLAIN (COSTS OFF) SELECT updated_at_ms - received_at_ms FROM delivery WHERE state = 'delivered' AND updated_at_ms >= :hour_ago AND updated_at_ms < :hour_ago + 3600000 AND replay_count = 0 ORDER BY updated_at_ms DESC LIMIT 10000;
\echo '-- endpoints: key labels'
EXPLAIN (COSTS OFF) SELECT endpoint, key_label, count(*), max(received_at_ms) FROM (SELECT endpoint, key_label, received_at_ms FROM delivery WHERE received_at_ms >= :hour_ago - 82800000 ORDER BY received_at_ms DESC, id DESC LIMIT 10000) recent GROUP BY endpoint, key_label ORDER BY endpoint COLLATE "C", count(*) DESC, key_label IS NULL, key_label COLLATE "C";
SQL
    "$bin" time postgres "$url"
fi
