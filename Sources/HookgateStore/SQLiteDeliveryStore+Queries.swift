import Foundation
import GRDB

extension SQLiteDeliveryStore {
    public func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord] {
        try await read { db in try Self.deliveries(matching: query, in: db) }
    }

    public func delivery(_ id: DeliveryID) async throws(StoreError) -> DeliveryDetail? {
        try await read { db in try Self.detail(of: id, in: db) }
    }

    public func countByState() async throws(StoreError) -> [DeliveryState: Int] {
        let rows = try await read { db in
            try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS count FROM delivery GROUP BY state")
                .map { ($0["state"] as String, $0["count"] as Int) }
        }
        var counts = Dictionary(uniqueKeysWithValues: DeliveryState.allCases.map { ($0, 0) })
        for (state, count) in rows {
            if let state = DeliveryState(rawValue: state) { counts[state] = count }
        }
        return counts
    }
}

extension SQLiteDeliveryStore {
    /// The deliveries matching `query`, newest first, up to its limit.
    static func deliveries(matching query: DeliveryQuery, in db: Database) throws -> [DeliveryRecord] {
        let (whereClause, arguments) = query.whereClause
        return try Row.fetchAll(
            db,
            sql: "SELECT * FROM delivery \(whereClause) ORDER BY id DESC LIMIT ?",
            arguments: arguments + [max(0, query.limit)]
        ).map(record(from:))
    }

    /// One delivery with its attempts, oldest first, or nil.
    static func detail(of id: DeliveryID, in db: Database) throws -> DeliveryDetail? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM delivery WHERE id = ?", arguments: [id.rawValue])
        else { return nil }
        let attempts = try Row.fetchAll(
            db,
            sql: "SELECT * FROM delivery_attempt WHERE delivery_id = ? ORDER BY number",
            arguments: [id.rawValue]
        )
        return DeliveryDetail(record: record(from: row), attempts: attempts.map(attempt(from:)))
    }
}
