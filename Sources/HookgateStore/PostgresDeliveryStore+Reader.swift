public import Foundation
import Logging
import PostgresNIO

/// The store's reads, on its pool's connections (see ``DeliveryReader``).
extension PostgresDeliveryStore {
    public func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord] {
        try await read { connection, logger in
            try await Self.deliveries(matching: query, on: connection, logger: logger)
        }
    }

    public func deliveries(
        matching query: DeliveryQuery,
        after cursor: DeliveryCursor?,
        pageSize: Int
    ) async throws(StoreError) -> [DeliveryRecord] {
        try await read { connection, logger in
            try await Self.deliveries(
                matching: query,
                after: cursor,
                pageSize: pageSize,
                on: connection,
                logger: logger
            )
        }
    }

    public func delivery(_ id: DeliveryID) async throws(StoreError) -> DeliveryDetail? {
        try await read { connection, logger in try await Self.detail(of: id, on: connection, logger: logger) }
    }

    public func inspection(of id: DeliveryID) async throws(StoreError) -> DeliveryInspection? {
        try await read { connection, logger in try await Self.inspection(of: id, on: connection, logger: logger) }
    }

    public func inspections(
        eventID: String,
        endpoint: String? = nil
    ) async throws(StoreError) -> [DeliveryInspection] {
        try await read { connection, logger in
            try await Self.inspections(eventID: eventID, endpoint: endpoint, on: connection, logger: logger)
        }
    }

    public func statistics(matching query: DeliveryQuery) async throws(StoreError) -> DeliveryStatistics {
        try await read { connection, logger in
            try await Self.statistics(matching: query, on: connection, logger: logger)
        }
    }

    public func countByState() async throws(StoreError) -> [DeliveryState: Int] {
        try await read { connection, logger in try await Self.countByState(on: connection, logger: logger) }
    }

    public func count(matching query: DeliveryQuery) async throws(StoreError) -> Int {
        try await read { connection, logger in try await Self.count(matching: query, on: connection, logger: logger) }
    }

    public func activity(minutes: Int, endingAt now: Date) async throws(StoreError) -> DeliveryActivity {
        try await read { connection, logger in
            try await Self.activity(minutes: minutes, endingAt: now, on: connection, logger: logger)
        }
    }

    public func keyLabelUsage(since: Date, limit: Int) async throws(StoreError) -> [KeyLabelUsage] {
        try await read { connection, logger in
            try await Self.keyLabelUsage(since: since, limit: limit, on: connection, logger: logger)
        }
    }

    /// Runs `body` in one REPEATABLE READ, READ ONLY transaction on a pooled connection: one snapshot.
    func read<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws(StoreError) -> T {
        let logger = self.logger
        return try await pool.transaction(readOnlySnapshot: true, logger: logger) { connection in
            try await body(connection, logger)
        }
    }
}
