import Foundation
import HookgateStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct RetentionTests {
    static let day: Double = 24 * 3600

    /// A window shorter than Stripe's three days of retries is rejected; three days and more are fine.
    @Test func windowUnderThreeDaysIsRejected() throws {
        let short = SQLiteDeliveryStore.Configuration(
            path: "/nonexistent/s.sqlite",
            retention: RetentionPolicy(window: .seconds(3 * 24 * 3600 - 1))
        )
        let error = #expect(throws: StoreError.self) { try short.validate() }
        #expect(error?.code == .invalidConfiguration)
        #expect(throws: StoreError.self) { try SQLiteDeliveryStore(configuration: short) }
        try RetentionPolicy(window: .seconds(3 * 24 * 3600)).validate()
        #expect(RetentionPolicy().window == .seconds(30 * 24 * 3600))
        #expect(throws: StoreError.self) { try RetentionPolicy(batchSize: 0).validate() }
    }

    /// The purge deletes finished deliveries older than the window, in batches, with their
    /// attempts and dedup keys; it keeps recent ones and anything still to be delivered.
    @Test func purgeDeletesOnlyExpiredFinishedDeliveries() async throws {
        try await withStore(configure: { $0.retention = RetentionPolicy(window: .seconds(3 * 24 * 3600), batchSize: 2) }
        ) {
            store,
            _ in
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
            for lease in try await store.claimDue(now: old, leaseDuration: .seconds(30), limit: 5) {
                try await store.completeAttempt(
                    lease,
                    report: AttemptReport(startedAt: old, duration: .milliseconds(1), upstreamStatus: 200),
                    outcome: .delivered
                )
            }
            let recentLease = try #require(
                try await store.claimDue(now: now, leaseDuration: .seconds(30), limit: 10)
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
    @Test func appendsProceedDuringPurge() async throws {
        try await withStore(configure: {
            $0.retention = RetentionPolicy(window: .seconds(3 * 24 * 3600), batchSize: 50)
        }) {
            store,
            _ in
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
}
