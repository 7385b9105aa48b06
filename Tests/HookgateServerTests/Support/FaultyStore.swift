import Foundation
import HookgateStore
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A store that forwards to a real one, but whose appends can be made to fail or to wait.
final class FaultyStore: DeliveryStore {
    enum Mode: Sendable {
        case normal
        case failing(StoreError.Code)
        case delayed(Duration)
    }

    private let base: any DeliveryStore
    private let mode = NIOLockedValueBox(Mode.normal)
    private let started = NIOLockedValueBox(0)

    /// How many appends have reached this store so far (before any delay or failure).
    var appendsStarted: Int {
        started.withLockedValue { $0 }
    }

    init(_ base: any DeliveryStore) {
        self.base = base
    }

    func set(_ mode: Mode) {
        self.mode.withLockedValue { $0 = mode }
    }

    func append(_ delivery: NewDelivery) async throws(StoreError) -> AppendResult {
        started.withLockedValue { $0 += 1 }
        switch self.mode.withLockedValue({ $0 }) {
        case .normal:
            break
        case .failing(let code):
            throw code == .storeOverloaded ? .storeOverloaded() : .storeUnavailable(detail: "test")
        case .delayed(let duration):
            try? await Task.sleep(for: duration)
        }
        return try await self.base.append(delivery)
    }

    func requeue(_ id: DeliveryID, asReplay: Bool, now: Date) async throws(StoreError) {
        try await self.base.requeue(id, asReplay: asReplay, now: now)
    }

    func unprepared(limit: Int) async throws(StoreError) -> [DeliveryRecord] {
        try await self.base.unprepared(limit: limit)
    }

    func applyPreparations(_ preparations: [PreparedDelivery], now: Date) async throws(StoreError) {
        try await self.base.applyPreparations(preparations, now: now)
    }

    func claimDue(
        now: Date,
        leaseDuration: Duration,
        limit: Int,
        applying preparations: [PreparedDelivery]
    ) async throws(StoreError) -> [DeliveryLease] {
        try await self.base.claimDue(now: now, leaseDuration: leaseDuration, limit: limit, applying: preparations)
    }

    func completeAttempt(
        _ lease: DeliveryLease,
        report: AttemptReport,
        outcome: AttemptOutcome
    )
        async throws(StoreError)
    {
        try await self.base.completeAttempt(lease, report: report, outcome: outcome)
    }

    func deliveries(matching query: DeliveryQuery) async throws(StoreError) -> [DeliveryRecord] {
        try await self.base.deliveries(matching: query)
    }

    func delivery(_ id: DeliveryID) async throws(StoreError) -> DeliveryDetail? {
        try await self.base.delivery(id)
    }

    func countByState() async throws(StoreError) -> [DeliveryState: Int] {
        try await self.base.countByState()
    }

    func deliveries(
        matching query: DeliveryQuery,
        after cursor: DeliveryCursor?,
        pageSize: Int
    ) async throws(StoreError) -> [DeliveryRecord] {
        try await self.base.deliveries(matching: query, after: cursor, pageSize: pageSize)
    }

    func inspection(of id: DeliveryID) async throws(StoreError) -> DeliveryInspection? {
        try await self.base.inspection(of: id)
    }

    func inspections(eventID: String, endpoint: String?) async throws(StoreError) -> [DeliveryInspection] {
        try await self.base.inspections(eventID: eventID, endpoint: endpoint)
    }

    func storedEventIDs(_ eventIDs: [String], endpoint: String) async throws(StoreError) -> Set<String> {
        try await self.base.storedEventIDs(eventIDs, endpoint: endpoint)
    }

    func statistics(matching query: DeliveryQuery) async throws(StoreError) -> DeliveryStatistics {
        try await self.base.statistics(matching: query)
    }

    func count(matching query: DeliveryQuery) async throws(StoreError) -> Int {
        try await self.base.count(matching: query)
    }

    func activity(minutes: Int, endingAt now: Date) async throws(StoreError) -> DeliveryActivity {
        try await self.base.activity(minutes: minutes, endingAt: now)
    }

    func keyLabelUsage(since: Date, limit: Int) async throws(StoreError) -> [KeyLabelUsage] {
        try await self.base.keyLabelUsage(since: since, limit: limit)
    }

    func isReadable() async -> Bool {
        await self.base.isReadable()
    }

    func isWritable() async -> Bool {
        await self.base.isWritable()
    }

    func purgeExpired(now: Date) async throws(StoreError) -> Int {
        try await self.base.purgeExpired(now: now)
    }

    func workAvailable() -> AsyncStream<Void> {
        self.base.workAvailable()
    }

    func run() async throws {
        try await self.base.run()
    }

    func close() async {
        await self.base.close()
    }
}
