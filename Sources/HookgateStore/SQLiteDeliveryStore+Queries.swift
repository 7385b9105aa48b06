import Foundation
import GRDB

/// The SQL of every ``DeliveryReader`` read, shared by ``SQLiteDeliveryStore`` and ``SQLiteDeliveryReader``.
///
/// Lists and pages are ordered by `(received_at_ms, id)`, never by `id` alone. The `delivery_received` index
/// on `received_at_ms` serves that order in both directions and the keyset range with no sort: an SQLite
/// index ends with the rowid, which `id` is. A filter walks its own index in the same order (`EXPLAIN QUERY
/// PLAN`, SQLite 3.40): `state` `delivery_state_received` (with the cursor's `(received_at_ms, id) < (?, ?)` as
/// its range), `endpoint` `delivery_endpoint_received`, `event_type` `delivery_type_received`, `catalog_type`
/// `delivery_catalog_received`, `subject` `delivery_subject_received`, an event id `delivery_event` (then a
/// sort of its few rows); with several filters SQLite picks one index and checks the others on its rows.
extension SQLiteDeliveryStore {
    /// The deliveries matching `query`, newest first, up to its limit.
    static func deliveries(matching query: DeliveryQuery, in db: Database) throws -> [DeliveryRecord] {
        let (whereClause, arguments) = query.whereClause
        return try Row.fetchAll(
            db,
            sql: """
                SELECT \(deliveryColumnsWithBody) FROM delivery d \(bodyJoin) \(whereClause)
                ORDER BY received_at_ms DESC, id DESC LIMIT ?
                """,
            arguments: arguments + [max(0, query.limit)]
        ).map(record(from:))
    }

    /// Up to `pageSize` deliveries matching the query's filters with keys after `cursor`, in key order.
    static func deliveries(
        matching query: DeliveryQuery,
        after cursor: DeliveryCursor?,
        pageSize: Int,
        in db: Database
    ) throws -> [DeliveryRecord] {
        var (whereClause, arguments) = query.whereClause
        if let cursor {
            whereClause += (whereClause.isEmpty ? "WHERE" : " AND") + " (received_at_ms, id) > (?, ?)"
            arguments += [cursor.receivedAt.unixMilliseconds, cursor.id.rawValue]
        }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT \(deliveryColumnsWithBody) FROM delivery d \(bodyJoin) \(whereClause)
                ORDER BY received_at_ms, id LIMIT ?
                """,
            arguments: arguments + [max(0, pageSize)]
        ).map(record(from:))
    }

    /// One delivery with its attempts, oldest first, or nil.
    static func detail(of id: DeliveryID, in db: Database) throws -> DeliveryDetail? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT \(deliveryColumnsWithBody) FROM delivery d \(bodyJoin) WHERE d.id = ?",
                arguments: [id.rawValue]
            )
        else { return nil }
        let attempts = try Row.fetchAll(
            db,
            sql: "SELECT * FROM delivery_attempt WHERE delivery_id = ? ORDER BY number",
            arguments: [id.rawValue]
        )
        return DeliveryDetail(record: record(from: row), attempts: attempts.map(attempt(from:)))
    }

    /// One delivery with its attempts and prepared messages, or nil.
    static func inspection(of id: DeliveryID, in db: Database) throws -> DeliveryInspection? {
        guard let detail = try detail(of: id, in: db) else { return nil }
        let messages = try Row.fetchAll(
            db,
            sql: "SELECT \(messageColumns) FROM delivery_message WHERE delivery_id = ? ORDER BY position",
            arguments: [id.rawValue]
        )
        return DeliveryInspection(detail: detail, messages: messages.map(message(from:)))
    }

    /// The deliveries of a provider event id, at `endpoint` only when given, in key order.
    static func inspections(eventID: String, endpoint: String?, in db: Database) throws -> [DeliveryInspection] {
        let ids = try Int64.fetchAll(
            db,
            sql: """
                SELECT id FROM delivery WHERE event_id = ? AND (? IS NULL OR endpoint = ?)
                ORDER BY received_at_ms, id
                """,
            arguments: [eventID, endpoint, endpoint]
        )
        return try ids.compactMap { try inspection(of: DeliveryID($0), in: db) }
    }

    /// The deliveries matching the query's filters counted by state, event type and catalog type.
    static func statistics(matching query: DeliveryQuery, in db: Database) throws -> DeliveryStatistics {
        let (whereClause, arguments) = query.whereClause
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT state, event_type, catalog_type, COUNT(*) AS count FROM delivery \(whereClause)
                GROUP BY state, event_type, catalog_type
                """,
            arguments: arguments
        )
        var statistics = DeliveryStatistics.none
        for row in rows {
            statistics.add(
                row["count"],
                state: row["state"],
                eventType: row["event_type"],
                catalogType: row["catalog_type"]
            )
        }
        return statistics
    }

    /// The number of deliveries in each state, 0 for states without any, in one snapshot: every state but
    /// `delivered` counted on `delivery_state_received` (a covering range each), `delivered` as the rest of the
    /// total (`COUNT(*)` of the whole table, which SQLite counts leaf page by leaf page of its smallest index,
    /// not entry by entry). Delivered deliveries are most of a store, so none of them is stepped through (7 ms
    /// against 87 ms for a `GROUP BY state` on 1,000,000 deliveries, `Benchmarks/dashboard-queries.sh`).
    static func countByState(in db: Database) throws -> [DeliveryState: Int] {
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery") ?? 0
        var counts: [DeliveryState: Int] = [:]
        for state in DeliveryState.allCases where state != .delivered {
            counts[state] =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery WHERE state = ?", arguments: [state.rawValue])
                ?? 0
        }
        counts[.delivered] = total - counts.values.reduce(0, +)
        return counts
    }
}
