import Foundation
import GRDB

extension SQLiteDeliveryStore {
    public func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func filter(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append(condition)
            arguments += [value]
        }
        filter("endpoint = ?", query.endpoint)
        filter("state = ?", query.state?.rawValue)
        filter("event_type = ?", query.eventType)
        filter("event_id = ?", query.eventID)
        filter("received_at_ms >= ?", query.receivedFrom?.unixMilliseconds)
        filter("received_at_ms < ?", query.receivedBefore?.unixMilliseconds)
        arguments += [max(0, query.limit)]
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM delivery \(whereClause) ORDER BY id DESC LIMIT ?"
        let finalArguments = arguments
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map(Self.record(from:))
        }
    }

    public func delivery(_ id: DeliveryID) async throws(StoreError) -> DeliveryDetail? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM delivery WHERE id = ?", arguments: [id.rawValue])
            else { return nil }
            let attempts = try Row.fetchAll(
                db,
                sql: "SELECT * FROM delivery_attempt WHERE delivery_id = ? ORDER BY number",
                arguments: [id.rawValue]
            )
            return DeliveryDetail(record: Self.record(from: row), attempts: attempts.map(Self.attempt(from:)))
        }
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
