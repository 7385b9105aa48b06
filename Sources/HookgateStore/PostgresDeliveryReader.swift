public import Foundation
public import Logging
import PostgresNIO

/// Read-only access to a PostgreSQL store's database, for inspecting deliveries beside running gateways.
///
/// It runs nothing in the background and holds no connection between calls: each call connects, reads in one
/// REPEATABLE READ, READ ONLY transaction (one snapshot) on a connection whose transactions are all read-only,
/// and disconnects. It never migrates or writes.
public final class PostgresDeliveryReader: DeliveryReader {
    let url: PostgresConnectionURL
    let logger: Logger

    /// Connects once to check the schema (blocking while doing so).
    /// - Parameters:
    ///   - url: The database, `postgres://user[:password]@host[:port]/database[?sslmode=...]`.
    ///   - password: The password, when it does not come from the URL; it wins over the URL's.
    ///   - logger: Where the client logs.
    /// - Throws: ``StoreError/Code/invalidConfiguration`` for a bad URL, ``StoreError/Code/storeUnavailable``
    ///   when the database cannot be reached; ``StoreError/Code/incompatibleSchema`` when it is not at the schema
    ///   this version writes (migrated by a newer Hookgate, or never migrated).
    public init(
        url: String,
        password: String? = nil,
        logger: Logger = Logger(label: "hookgate.store.reader")
    ) throws(StoreError) {
        var parsed = try PostgresConnectionURL(parsing: url)
        if let password { parsed.password = password }
        let connection = try PostgresBlockingConnection.open(parsed, readOnly: true, logger: logger)
        defer { connection.close() }
        do {
            try PostgresDeliveryStore.checkSchema(connection)
        } catch {
            throw StoreError.postgres(error)
        }
        self.url = parsed
        self.logger = logger
    }

    /// Runs `body` in one read-only snapshot on a connection of its own; errors become ``StoreError``.
    func read<T: Sendable>(_ body: (PostgresConnection, Logger) async throws -> T) async throws(StoreError) -> T {
        let logger = self.logger
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try url.connectionConfiguration(readOnly: true),
                id: 0,
                logger: logger
            )
            do {
                let value = try await connection.inTransaction(readOnlySnapshot: true, logger: logger) { connection in
                    try await body(connection, logger)
                }
                try? await connection.close()
                return value
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw StoreError.postgres(error)
        }
    }

    public func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord] {
        try await read { connection, logger in
            try await PostgresDeliveryStore.deliveries(matching: query, on: connection, logger: logger)
        }
    }

    public func deliveries(
        matching query: DeliveryQuery,
        after cursor: DeliveryCursor?,
        pageSize: Int
    ) async throws(StoreError) -> [DeliveryRecord] {
        try await read { connection, logger in
            try await PostgresDeliveryStore.deliveries(
                matching: query,
                after: cursor,
                pageSize: pageSize,
                on: connection,
                logger: logger
            )
        }
    }

    public func delivery(_ id: DeliveryID) async throws(StoreError) -> DeliveryDetail? {
        try await read { connection, logger in
            try await PostgresDeliveryStore.detail(of: id, on: connection, logger: logger)
        }
    }

    public func inspection(of id: DeliveryID) async throws(StoreError) -> DeliveryInspection? {
        try await read { connection, logger in
            try await PostgresDeliveryStore.inspection(of: id, on: connection, logger: logger)
        }
    }

    public func inspections(eventID: String, endpoint: String?) async throws(StoreError) -> [DeliveryInspection] {
        try await read { connection, logger in
            try await PostgresDeliveryStore.inspections(
                eventID: eventID,
                endpoint: endpoint,
                on: connection,
                logger: logger
            )
        }
    }

    public func statistics(matching query: DeliveryQuery) async throws(StoreError) -> DeliveryStatistics {
        try await read { connection, logger in
            try await PostgresDeliveryStore.statistics(matching: query, on: connection, logger: logger)
        }
    }

    public func countByState() async throws(StoreError) -> [DeliveryState: Int] {
        try await read { connection, logger in
            try await PostgresDeliveryStore.countByState(on: connection, logger: logger)
        }
    }

    public func count(matching query: DeliveryQuery) async throws(StoreError) -> Int {
        try await read { connection, logger in
            try await PostgresDeliveryStore.count(matching: query, on: connection, logger: logger)
        }
    }

    public func activity(minutes: Int, endingAt now: Date) async throws(StoreError) -> DeliveryActivity {
        try await read { connection, logger in
            try await PostgresDeliveryStore.activity(minutes: minutes, endingAt: now, on: connection, logger: logger)
        }
    }

    public func keyLabelUsage(since: Date, limit: Int) async throws(StoreError) -> [KeyLabelUsage] {
        try await read { connection, logger in
            try await PostgresDeliveryStore.keyLabelUsage(since: since, limit: limit, on: connection, logger: logger)
        }
    }

    /// Whether a read of the `delivery` table succeeds right now.
    public func isReadable() async -> Bool {
        do {
            try await read { connection, logger in
                try await connection.run("SELECT 1 FROM delivery LIMIT 1", logger: logger)
            }
            return true
        } catch {
            return false
        }
    }

    /// Always `false`: the reader's connections are read-only, so it never tries to write.
    public func isWritable() async -> Bool {
        false
    }
}
