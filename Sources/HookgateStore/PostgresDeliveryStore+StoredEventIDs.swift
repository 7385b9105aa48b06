import Logging
import PostgresNIO

extension PostgresDeliveryStore {
    /// The event ids of `eventIDs` with a delivery at `endpoint`: one scan of the dedup key's index
    /// (`event_id, endpoint`) for the array.
    static func storedEventIDs(
        _ eventIDs: [String],
        endpoint: String,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Set<String> {
        guard !eventIDs.isEmpty else { return [] }
        let rows = try await connection.rows(
            "SELECT event_id FROM delivery WHERE event_id = ANY(\(eventIDs)::text[]) AND endpoint = \(endpoint)",
            logger: logger
        )
        return Set(try rows.map { try $0.decode(String.self) })
    }

    public func storedEventIDs(_ eventIDs: [String], endpoint: String) async throws(StoreError) -> Set<String> {
        try EventIDLookup.validate(eventIDs)
        return try await read { connection, logger in
            try await Self.storedEventIDs(eventIDs, endpoint: endpoint, on: connection, logger: logger)
        }
    }
}

extension PostgresDeliveryReader {
    public func storedEventIDs(_ eventIDs: [String], endpoint: String) async throws(StoreError) -> Set<String> {
        try EventIDLookup.validate(eventIDs)
        return try await read { connection, logger in
            try await PostgresDeliveryStore.storedEventIDs(eventIDs, endpoint: endpoint, on: connection, logger: logger)
        }
    }
}
