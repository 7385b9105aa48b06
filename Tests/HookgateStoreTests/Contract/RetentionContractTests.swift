import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Retention: the window's lower bound, what a purge deletes and keeps, purges beside appends, purges of a running store.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct RetentionContractTests {
    static let day: Double = 24 * 3600

    /// The shortest retention window, purged (only when a test asks) in batches of `batchSize`.
    static func threeDayRetention(purgingInBatchesOf batchSize: Int) -> StoreBackend.Options {
        var options = StoreBackend.Options()
        options.retention.window = .seconds(3 * 24 * 3600)
        options.retention.batchSize = batchSize
        return options
    }

    /// A window shorter than Stripe's three days of retries is rejected, and the store refuses to open with it;
    /// three days and more are fine.
    @Test(arguments: StoreBackend.all)
    func windowUnderThreeDaysIsRejected(_ backend: StoreBackend) async throws {
        try await withTemporaryDirectory { directory in
            var short = StoreBackend.Options()
            short.retention.window = .seconds(3 * 24 * 3600 - 1)
            let error = #expect(throws: StoreError.self) { try backend.open(short, in: directory) }
            #expect(error?.code == .invalidConfiguration)
            try RetentionPolicy(window: .seconds(3 * 24 * 3600)).validate()
            #expect(RetentionPolicy().window == .seconds(30 * 24 * 3600))
            #expect(throws: StoreError.self) { try RetentionPolicy(batchSize: 0).validate() }
        }
    }

    /// The purge deletes finished deliveries older than the window, in batches, with their
    /// attempts and dedup keys; it keeps recent ones and anything still to be delivered.
    @Test(arguments: StoreBackend.all)
    func purgeDeletesOnlyExpiredFinishedDeliveries(_ backend: StoreBackend) async throws {
        try await withStore(backend, options: Self.threeDayRetention(purgingInBatchesOf: 2)) { store in
            let old = t0
            let now = t0.addingTimeInterval(4 * Self.day)
            var finished: [DeliveryID] = []
            for n in 0..<5 {
                let id = try #require(
                    try await store.append(sampleDelivery(eventID: "evt_old_\(n)", receivedAt: old)).storedID
                )
                finished.append(id)
            }
            let skipped = try #require(
                try await store.append(sampleDelivery(eventID: "evt_old_skipped", receivedAt: old, isRouted: false))
                    .storedID
            )
            let stillPending = try #require(
                try await store.append(sampleDelivery(eventID: "evt_old_pending", receivedAt: old)).storedID
            )
            let recent = try #require(
                try await store.append(
                    sampleDelivery(eventID: "evt_recent", receivedAt: now.addingTimeInterval(-Self.day))
                )
                .storedID
            )
            for lease in try await store.prepareAndClaim(now: old, leaseDuration: .seconds(30), limit: 5) {
                try await store.completeAttempt(
                    lease,
                    report: AttemptReport(startedAt: old, duration: .milliseconds(1), upstreamStatus: 200),
                    outcome: .delivered
                )
            }
            let recentLease = try #require(
                try await store.prepareAndClaim(now: now, leaseDuration: .seconds(30), limit: 10)
                    .first { $0.record.id == recent }
            )
            try await store.completeAttempt(
                recentLease,
                report: AttemptReport(startedAt: now, duration: .milliseconds(1), upstreamStatus: 200),
                outcome: .delivered
            )
            // claimDue above also leased the old pending one; it stays.
            #expect(try await store.purgeExpired(now: now) == 6)
            for id in finished + [skipped] { #expect(try await store.delivery(id) == nil) }
            #expect(try await store.delivery(stillPending) != nil)
            #expect(try await store.delivery(recent) != nil)
            #expect(try await store.purgeExpired(now: now) == 0)
            // The dedup key went with the delivery: a (very) late retry is a new delivery.
            let again = try await store.append(sampleDelivery(eventID: "evt_old_0", receivedAt: now))
            #expect(again.storedID.map { $0 > recent } == true)
        }
    }

    /// Appends keep being committed while a large purge runs.
    @Test(arguments: StoreBackend.all)
    func appendsProceedDuringPurge(_ backend: StoreBackend) async throws {
        try await withStore(backend, options: Self.threeDayRetention(purgingInBatchesOf: 50)) { store in
            for n in 0..<1000 {
                _ = try await store.append(sampleDelivery(eventID: "evt_\(n)", receivedAt: t0, isRouted: false))
            }
            async let purged = store.purgeExpired(now: t0.addingTimeInterval(4 * Self.day))
            for n in 0..<50 {
                #expect(
                    try await store.append(
                        sampleDelivery(eventID: "evt_new_\(n)", receivedAt: t0.addingTimeInterval(4 * Self.day))
                    ).storedID != nil
                )
            }
            #expect(try await purged == 1000)
            #expect(try await store.countByState()[.pending] == 50)
        }
    }

    /// A running store purges expired deliveries as it starts (then every purge interval), as of the wall clock.
    @Test(arguments: StoreBackend.all)
    func aRunningStorePurgesAsItStarts(_ backend: StoreBackend) async throws {
        try await withTemporaryDirectory { directory in
            let old = Date().addingTimeInterval(-40 * Self.day)
            let id = try await backend.withRunningStore(in: directory) { filler in
                try #require(
                    try await filler.append(sampleDelivery(eventID: "evt_old", receivedAt: old, isRouted: false))
                        .storedID
                )
            }
            var purging = StoreBackend.Options()
            purging.retention.purgeInterval = .seconds(3600)
            try await backend.withRunningStore(purging, in: directory) { store in
                while try await store.delivery(id) != nil { try await Task.sleep(for: .milliseconds(10)) }
            }
        }
    }
}
