import Foundation
import GRDB

extension SQLiteDeliveryReader {
    /// Lists deliveries matching the query, newest first, up to its limit.
    public func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord] {
        try await read { db in try SQLiteDeliveryStore.deliveries(matching: query, in: db) }
    }

    /// Up to `pageSize` deliveries matching the query's filters with ids after `id`, oldest first: iterate by
    /// passing the last id of each page, so a large selection never loads at once. The query's limit is ignored.
    public func deliveries(
        matching query: DeliveryQuery,
        after id: DeliveryID?,
        pageSize: Int
    ) async throws(StoreError) -> [DeliveryRecord] {
        var (whereClause, arguments) = query.whereClause
        whereClause += (whereClause.isEmpty ? "WHERE" : " AND") + " id > ?"
        arguments += [id?.rawValue ?? 0, max(0, pageSize)]
        let sql = "SELECT * FROM delivery \(whereClause) ORDER BY id LIMIT ?"
        let finalArguments = arguments
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map(SQLiteDeliveryStore.record(from:))
        }
    }

    /// One delivery with its attempts and prepared messages, or nil.
    public func inspection(of id: DeliveryID) async throws(StoreError) -> DeliveryInspection? {
        try await read { db in try Self.inspection(of: id, in: db) }
    }

    /// Every delivery of a provider event id (one per endpoint that received it), oldest first; only the
    /// endpoint's when `endpoint` is given.
    public func inspections(eventID: String, endpoint: String? = nil) async throws(StoreError) -> [DeliveryInspection] {
        try await read { db in
            let ids = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM delivery WHERE event_id = ? AND (? IS NULL OR endpoint = ?) ORDER BY id",
                arguments: [eventID, endpoint, endpoint]
            )
            return try ids.compactMap { try Self.inspection(of: DeliveryID($0), in: db) }
        }
    }

    /// Counts the deliveries matching the query's filters (its limit is ignored) by state, event type and
    /// catalog type, in one snapshot.
    public func statistics(matching query: DeliveryQuery) async throws(StoreError) -> DeliveryStatistics {
        let (whereClause, arguments) = query.whereClause
        let sql = """
            SELECT state, event_type, catalog_type, COUNT(*) AS count FROM delivery \(whereClause)
            GROUP BY state, event_type, catalog_type
            """
        let rows = try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                ($0["state"] as String, $0["event_type"] as String, $0["catalog_type"] as String?, $0["count"] as Int)
            }
        }
        var statistics = DeliveryStatistics(
            total: 0,
            byState: Dictionary(uniqueKeysWithValues: DeliveryState.allCases.map { ($0, 0) }),
            byEventType: [:],
            byCatalogType: [:],
            withoutCatalogType: 0
        )
        for (state, eventType, catalogType, count) in rows {
            statistics.total += count
            if let state = DeliveryState(rawValue: state) { statistics.byState[state, default: 0] += count }
            statistics.byEventType[eventType, default: 0] += count
            if let catalogType {
                statistics.byCatalogType[catalogType, default: 0] += count
            } else {
                statistics.withoutCatalogType += count
            }
        }
        return statistics
    }

    private static func inspection(of id: DeliveryID, in db: Database) throws -> DeliveryInspection? {
        guard let detail = try SQLiteDeliveryStore.detail(of: id, in: db) else { return nil }
        let messages = try Row.fetchAll(
            db,
            sql: "SELECT * FROM delivery_message WHERE delivery_id = ? ORDER BY position",
            arguments: [id.rawValue]
        )
        return DeliveryInspection(detail: detail, messages: messages.map(SQLiteDeliveryStore.message(from:)))
    }
}
