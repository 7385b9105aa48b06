import GRDB

extension SQLiteDeliveryStore {
    /// The event ids of `eventIDs` with a delivery at `endpoint`: one lookup of the dedup key's index each.
    static func storedEventIDs(_ eventIDs: [String], endpoint: String, in db: Database) throws -> Set<String> {
        guard !eventIDs.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: eventIDs.count).joined(separator: ", ")
        let stored = try String.fetchAll(
            db,
            sql: "SELECT event_id FROM delivery WHERE endpoint = ? AND event_id IN (\(placeholders))",
            arguments: StatementArguments([endpoint] + eventIDs)
        )
        return Set(stored)
    }

    public func storedEventIDs(_ eventIDs: [String], endpoint: String) async throws(StoreError) -> Set<String> {
        try EventIDLookup.validate(eventIDs)
        return try await read { db in try Self.storedEventIDs(eventIDs, endpoint: endpoint, in: db) }
    }
}

extension SQLiteDeliveryReader {
    public func storedEventIDs(_ eventIDs: [String], endpoint: String) async throws(StoreError) -> Set<String> {
        try EventIDLookup.validate(eventIDs)
        return try await read { db in try SQLiteDeliveryStore.storedEventIDs(eventIDs, endpoint: endpoint, in: db) }
    }
}
