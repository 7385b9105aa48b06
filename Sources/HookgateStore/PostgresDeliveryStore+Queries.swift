import Logging
import PostgresNIO

/// The SQL of every ``DeliveryReader`` read, shared by ``PostgresDeliveryStore`` and ``PostgresDeliveryReader``.
///
/// Lists and pages are ordered by `(received_at_ms, id)`, never by `id` alone, which the `delivery_received`
/// index serves in both directions, keyset ranges included. A filter walks its own `(column, received_at_ms,
/// id)` index backwards (`EXPLAIN`, PostgreSQL 15, 1,000,000 deliveries): `delivery_state_received`,
/// `delivery_endpoint_received`, `delivery_type_received`, `delivery_catalog_received`,
/// `delivery_subject_received`, with the cursor's `(received_at_ms, id) < (...)` as an index condition; an
/// event id is `delivery_dedup` (then a sort of its few rows). Reads of several statements run in one
/// REPEATABLE READ transaction (the caller's), so they see one snapshot.
extension PostgresDeliveryStore {
    /// The deliveries matching `query`, newest first, up to its limit.
    static func deliveries(
        matching query: DeliveryQuery,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [DeliveryRecord] {
        let sql = PostgresFilter.newestFirst(from: "delivery", query.postgresFilter, limit: query.limit)
        return try await connection.rows(sql, logger: logger).map(record(from:))
    }

    /// Up to `pageSize` deliveries matching the query's filters with keys after `cursor`, in key order.
    static func deliveries(
        matching query: DeliveryQuery,
        after cursor: DeliveryCursor?,
        pageSize: Int,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [DeliveryRecord] {
        var (conditions, binds) = query.postgresFilter
        if let cursor {
            binds.append(cursor.receivedAt.unixMilliseconds)
            binds.append(cursor.id.rawValue)
            conditions.append("(received_at_ms, id) > ($\(binds.count - 1), $\(binds.count))")
        }
        binds.append(Int64(max(0, pageSize)))
        let sql = """
            SELECT * FROM delivery \(conditions.sqlWhereClause) ORDER BY received_at_ms, id LIMIT $\(binds.count)
            """
        return try await connection.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            .map(record(from:))
    }

    /// One delivery with its attempts, oldest first, or nil.
    static func detail(
        of id: DeliveryID,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws
        -> DeliveryDetail?
    {
        guard
            let row = try await connection.rows("SELECT * FROM delivery WHERE id = \(id.rawValue)", logger: logger)
                .first
        else { return nil }
        let attempts = try await connection.rows(
            "SELECT * FROM delivery_attempt WHERE delivery_id = \(id.rawValue) ORDER BY number",
            logger: logger
        )
        return DeliveryDetail(record: try record(from: row), attempts: try attempts.map(attempt(from:)))
    }

    /// One delivery with its attempts and prepared messages, or nil.
    static func inspection(
        of id: DeliveryID,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws
        -> DeliveryInspection?
    {
        guard let detail = try await detail(of: id, on: connection, logger: logger) else { return nil }
        let messages = try await connection.rows(
            """
            SELECT delivery_id, content_type, body FROM delivery_message
            WHERE delivery_id = \(id.rawValue) ORDER BY position
            """,
            logger: logger
        )
        return DeliveryInspection(detail: detail, messages: try messages.map { try message(from: $0).1 })
    }

    /// The deliveries of a provider event id, at `endpoint` only when given, in key order.
    static func inspections(
        eventID: String,
        endpoint: String?,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [DeliveryInspection] {
        let query: PostgresQuery =
            if let endpoint {
                """
                SELECT id FROM delivery WHERE event_id = \(eventID) AND endpoint = \(endpoint)
                ORDER BY received_at_ms, id
                """
            } else {
                "SELECT id FROM delivery WHERE event_id = \(eventID) ORDER BY received_at_ms, id"
            }
        var inspections: [DeliveryInspection] = []
        for row in try await connection.rows(query, logger: logger) {
            let id = DeliveryID(try row.decode(Int64.self))
            if let inspection = try await Self.inspection(of: id, on: connection, logger: logger) {
                inspections.append(inspection)
            }
        }
        return inspections
    }

    /// The deliveries matching the query's filters counted by state, event type and catalog type.
    static func statistics(
        matching query: DeliveryQuery,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> DeliveryStatistics {
        let (conditions, binds) = query.postgresFilter
        let rows = try await connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT state, event_type, catalog_type, count(*) AS count FROM delivery \(conditions.sqlWhereClause)
                    GROUP BY state, event_type, catalog_type
                    """,
                binds: binds
            ),
            logger: logger
        )
        var statistics = DeliveryStatistics.none
        for row in rows {
            let (state, eventType, catalogType, count) = try row.decode((String, String, String?, Int64).self)
            statistics.add(Int(count), state: state, eventType: eventType, catalogType: catalogType)
        }
        return statistics
    }

    /// The number of deliveries in each state, 0 for states without any, in the caller's snapshot: every state
    /// but `delivered` counted on `delivery_state_received` (index-only ranges), `delivered` as the rest of the
    /// total (a parallel index-only scan of the smallest index). Delivered deliveries are most of a store, and
    /// counting them by state cost a scan of the state index besides the total (175 ms against 77 ms on
    /// 1,000,000 deliveries, `Benchmarks/dashboard-queries.sh`).
    static func countByState(on connection: PostgresConnection, logger: Logger) async throws -> [DeliveryState: Int] {
        let total =
            try await connection.rows("SELECT count(*) FROM delivery", logger: logger)
            .first?.decode(Int64.self) ?? 0
        var counts = Dictionary(uniqueKeysWithValues: DeliveryState.allCases.map { ($0, 0) })
        let others = DeliveryState.allCases.filter { $0 != .delivered }.map(\.rawValue)
        for row in try await connection.rows(
            "SELECT state, count(*) AS count FROM delivery WHERE state = ANY(\(others)) GROUP BY state",
            logger: logger
        ) {
            let (state, count) = try row.decode((String, Int64).self)
            if let state = DeliveryState(rawValue: state) { counts[state] = Int(count) }
        }
        counts[.delivered] = Int(total) - counts.values.reduce(0, +)
        return counts
    }
}
