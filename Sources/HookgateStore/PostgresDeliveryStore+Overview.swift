import Foundation
import Logging
import PostgresNIO

/// The SQL of the dashboard's reads (counts, activity, key labels), shared by ``PostgresDeliveryStore`` and
/// ``PostgresDeliveryReader``. Each names the index it runs on (`EXPLAIN`, PostgreSQL 15, on the benchmark's
/// 1,000,000 deliveries after `ANALYZE`).
extension PostgresDeliveryStore {
    /// The deliveries matching the query's filters: an index-only scan of the filter's index
    /// (`delivery_state_received`, `delivery_endpoint_received`, `delivery_type_received`,
    /// `delivery_catalog_received`, `delivery_subject_received`, `delivery_dedup` for an event id,
    /// `delivery_received` for times alone or no filter).
    static func count(
        matching query: DeliveryQuery,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws
        -> Int
    {
        let rows = try await connection.rows(
            PostgresFilter.count(from: "delivery", query.postgresFilter),
            logger: logger
        )
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    /// Received per minute on `delivery_received`, delivered per minute and the latency sample on the partial
    /// `delivery_delivered` (index-only ranges). Each minute is a count of its own range (a subquery per minute
    /// of a `generate_series`), where one `GROUP BY` of the minutes hashed a computed key per entry (589 ms
    /// against 418 ms for 1,000,000 deliveries in the hour: over the dashboard's 200 ms, see the Benchmarks README).
    static func activity(
        minutes: Int,
        endingAt now: Date,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> DeliveryActivity {
        let window = DeliveryActivity.window(minutes: minutes, endingAt: now)
        func perMinute(_ query: PostgresQuery) async throws -> [Int] {
            var counts = [Int](repeating: 0, count: window.minutes)
            for row in try await connection.rows(query, logger: logger) {
                let (minute, count) = try row.decode((Int64, Int64).self)
                if counts.indices.contains(Int(minute)) { counts[Int(minute)] = Int(count) }
            }
            return counts
        }
        let last = Int64(window.minutes - 1)
        let received = try await perMinute(
            """
            SELECT minute, (
                SELECT count(*) FROM delivery
                WHERE received_at_ms >= \(window.start) + minute * 60000
                    AND received_at_ms < \(window.start) + (minute + 1) * 60000
            ) FROM generate_series(0::bigint, \(last)) AS minute
            """
        )
        let delivered = try await perMinute(
            """
            SELECT minute, (
                SELECT count(*) FROM delivery
                WHERE state = 'delivered' AND updated_at_ms >= \(window.start) + minute * 60000
                    AND updated_at_ms < \(window.start) + (minute + 1) * 60000
            ) FROM generate_series(0::bigint, \(last)) AS minute
            """
        )
        let latencies = try await connection.rows(
            """
            SELECT updated_at_ms - received_at_ms FROM delivery
            WHERE state = 'delivered' AND updated_at_ms >= \(window.start) AND updated_at_ms < \(window.end)
                AND replay_count = 0
            ORDER BY updated_at_ms DESC LIMIT \(Int64(DeliveryActivity.latencySampleLimit))
            """,
            logger: logger
        ).map { try $0.decode(Int64.self) }
        return DeliveryActivity(
            start: Date(unixMilliseconds: window.start),
            receivedPerMinute: received,
            deliveredPerMinute: delivered,
            latency: DeliveryLatency(milliseconds: latencies)
        )
    }

    /// The latest `limit` deliveries received since `since`, newest first on `delivery_received` (a backward
    /// range, then one row read each for its endpoint and label), grouped.
    static func keyLabelUsage(
        since: Date,
        limit: Int,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [KeyLabelUsage] {
        try await connection.rows(
            """
            SELECT endpoint, key_label, count(*), max(received_at_ms) FROM (
                SELECT endpoint, key_label, received_at_ms FROM delivery WHERE received_at_ms >= \(since.unixMilliseconds)
                ORDER BY received_at_ms DESC, id DESC LIMIT \(Int64(max(0, limit)))
            ) recent GROUP BY endpoint, key_label
            ORDER BY endpoint COLLATE "C", count(*) DESC, key_label IS NULL, key_label COLLATE "C"
            """,
            logger: logger
        ).map { row in
            let (endpoint, keyLabel, count, last) = try row.decode((String, String?, Int64, Int64).self)
            return KeyLabelUsage(
                endpoint: endpoint,
                keyLabel: keyLabel,
                count: Int(count),
                lastReceivedAt: Date(unixMilliseconds: last)
            )
        }
    }
}
