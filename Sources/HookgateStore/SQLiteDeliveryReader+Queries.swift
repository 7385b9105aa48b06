public import Foundation
import GRDB

/// The reader's reads, each in one snapshot of its read-only connection (see ``DeliveryReader``).
extension SQLiteDeliveryReader {
    public func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord] {
        try await read { db in try SQLiteDeliveryStore.deliveries(matching: query, in: db) }
    }

    public func deliveries(
        matching query: DeliveryQuery,
        after cursor: DeliveryCursor?,
        pageSize: Int
    ) async throws(StoreError) -> [DeliveryRecord] {
        try await read { db in
            try SQLiteDeliveryStore.deliveries(matching: query, after: cursor, pageSize: pageSize, in: db)
        }
    }

    public func delivery(_ id: DeliveryID) async throws(StoreError) -> DeliveryDetail? {
        try await read { db in try SQLiteDeliveryStore.detail(of: id, in: db) }
    }

    public func inspection(of id: DeliveryID) async throws(StoreError) -> DeliveryInspection? {
        try await read { db in try SQLiteDeliveryStore.inspection(of: id, in: db) }
    }

    public func inspections(
        eventID: String,
        endpoint: String? = nil
    ) async throws(StoreError) -> [DeliveryInspection] {
        try await read { db in try SQLiteDeliveryStore.inspections(eventID: eventID, endpoint: endpoint, in: db) }
    }

    public func statistics(matching query: DeliveryQuery) async throws(StoreError) -> DeliveryStatistics {
        try await read { db in try SQLiteDeliveryStore.statistics(matching: query, in: db) }
    }

    public func countByState() async throws(StoreError) -> [DeliveryState: Int] {
        try await read { db in try SQLiteDeliveryStore.countByState(in: db) }
    }

    public func count(matching query: DeliveryQuery) async throws(StoreError) -> Int {
        try await read { db in try SQLiteDeliveryStore.count(matching: query, in: db) }
    }

    public func activity(minutes: Int, endingAt now: Date) async throws(StoreError) -> DeliveryActivity {
        try await read { db in try SQLiteDeliveryStore.activity(minutes: minutes, endingAt: now, in: db) }
    }

    public func keyLabelUsage(since: Date, limit: Int) async throws(StoreError) -> [KeyLabelUsage] {
        try await read { db in try SQLiteDeliveryStore.keyLabelUsage(since: since, limit: limit, in: db) }
    }
}
