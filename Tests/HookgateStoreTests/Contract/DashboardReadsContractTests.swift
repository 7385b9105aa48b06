import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// The dashboard's reads: counts by filter, newest-first pages by key, activity per minute with the latency, and
/// the key labels of recent deliveries; each asked of the store and of the backend's read-only reader of it.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct DashboardReadsContractTests {
    /// Appends `delivery` and returns its id.
    private func append(_ store: any DeliveryStore, _ delivery: NewDelivery) async throws -> DeliveryID {
        try #require(try await store.append(delivery).storedID)
    }

    /// A count matches the list of the same filters, whatever its limit.
    @Test(arguments: StoreBackend.all)
    func countMatchesTheListOfTheSameFilters(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            for n in 0..<6 {
                _ = try await append(
                    store,
                    sampleDelivery(
                        eventID: "evt_\(n)",
                        endpoint: n < 4 ? "stripe" : "connect",
                        eventType: n.isMultiple(of: 2) ? "payment_intent.succeeded" : "charge.refunded",
                        receivedAt: t0.addingTimeInterval(Double(n) * 60),
                        isRouted: n != 5
                    )
                )
            }
            let queries = [
                DeliveryQuery(limit: 1), DeliveryQuery(endpoint: "stripe"), DeliveryQuery(state: .skipped),
                DeliveryQuery(state: .pending, eventType: "charge.refunded"), DeliveryQuery(eventID: "evt_3"),
                DeliveryQuery(receivedFrom: t0.addingTimeInterval(60), receivedBefore: t0.addingTimeInterval(240)),
                DeliveryQuery(endpoint: "nowhere"), DeliveryQuery(subject: "pi_none"),
            ]
            let expected = [6, 4, 1, 2, 1, 3, 0, 0]
            for source in [store, reader] as [any DeliveryReader] {
                for (query, count) in zip(queries, expected) {
                    #expect(try await source.count(matching: query) == count, "\(query)")
                    var all = query
                    all.limit = 100
                    #expect(try await source.deliveries(matching: all).count == count, "\(query)")
                }
            }
        }
    }

    /// Pages read with `before` the last key of the previous page list every matching delivery once, newest
    /// first by received time then id, though ids were not given in received order and several share a
    /// millisecond.
    @Test(arguments: StoreBackend.all)
    func pagesBeforeACursorListEveryDeliveryOnceNewestFirst(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            // Appended out of received order: ids do not follow the key.
            let seconds: [Double] = [5, 1, 3, 3, 3, 0, 4, 3, 2, 5]
            var records: [(DeliveryCursor, DeliveryID, Bool)] = []
            for (n, second) in seconds.enumerated() {
                let receivedAt = t0.addingTimeInterval(second)
                let id = try await append(
                    store,
                    sampleDelivery(eventID: "evt_\(n)", receivedAt: receivedAt, isRouted: !n.isMultiple(of: 3))
                )
                records.append((DeliveryCursor(receivedAt: receivedAt, id: id), id, n.isMultiple(of: 3)))
            }
            let newestFirst = records.sorted { $0.0 > $1.0 }
            for source in [store, reader] as [any DeliveryReader] {
                for (filter, expected) in [
                    (DeliveryQuery(limit: 3), newestFirst.map(\.1)),
                    (DeliveryQuery(state: .skipped, limit: 3), newestFirst.filter(\.2).map(\.1)),
                ] {
                    var query = filter
                    var listed: [DeliveryID] = []
                    while true {
                        let page = try await source.deliveries(matching: query)
                        listed += page.map(\.id)
                        guard page.count == query.limit, let last = page.last else { break }
                        query.before = DeliveryCursor(last)
                    }
                    #expect(listed == expected)
                }
                var first = DeliveryQuery(limit: 100)
                first.before = newestFirst[4].0
                #expect(try await source.deliveries(matching: first).map(\.id) == newestFirst.dropFirst(5).map(\.1))
                #expect(try await source.count(matching: first) == 5)
            }
        }
    }

    /// Received counts fall in the minute of their receipt; delivered counts in the minute the attempt was
    /// recorded, replays included; the latency is over first deliveries only.
    @Test(arguments: StoreBackend.all)
    func activityCountsPerMinuteAndTheLatencyOfFirstDeliveries(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            // t0 is a whole minute. Received in minutes 0, 0, 1, 3 and (outside a 4-minute window) 4.
            for (n, second) in [0.0, 59.9, 60, 200, 240].enumerated() {
                _ = try await append(
                    store,
                    sampleDelivery(eventID: "evt_\(n)", receivedAt: t0.addingTimeInterval(second))
                )
            }
            let windowEnd = t0.addingTimeInterval(3 * 60 + 30)
            for source in [store, reader] as [any DeliveryReader] {
                let received = try await source.activity(minutes: 4, endingAt: windowEnd)
                #expect(received.start == t0)
                #expect(received.receivedPerMinute == [2, 1, 0, 1])
                #expect(received.deliveredPerMinute == [0, 0, 0, 0])
                #expect(received.latency == nil)
            }

            // Deliver three (the store stamps the real time), then deliver one of them again as a replay.
            let before = Date()
            let leases = try await store.prepareAndClaim(now: before, leaseDuration: .seconds(60), limit: 3)
            #expect(leases.count == 3)
            for lease in leases {
                try await store.completeAttempt(
                    lease,
                    report: AttemptReport(startedAt: before, duration: .milliseconds(1)),
                    outcome: .delivered
                )
            }
            let replayed = leases[0].record
            try await store.requeue(replayed.id, asReplay: true, now: Date())
            let again = try await store.prepareAndClaim(now: Date(), leaseDuration: .seconds(60), limit: 10)
            let replay = try #require(again.first { $0.record.id == replayed.id })
            try await store.completeAttempt(
                replay,
                report: AttemptReport(startedAt: Date(), duration: .milliseconds(1)),
                outcome: .delivered
            )
            let after = Date()
            for lease in again where lease.record.id != replayed.id {
                try await store.completeAttempt(
                    lease,
                    report: AttemptReport(startedAt: after, duration: .milliseconds(1)),
                    outcome: .retry(at: after.addingTimeInterval(3600))
                )
            }

            let firsts = leases.dropFirst().map(\.record.received.receivedAt)
            for source in [store, reader] as [any DeliveryReader] {
                let activity = try await source.activity(minutes: 3, endingAt: Date())
                #expect(activity.deliveredPerMinute.count == 3)
                #expect(activity.deliveredPerMinute.reduce(0, +) == 3)
                #expect(activity.receivedPerMinute == [0, 0, 0])
                let latency = try #require(activity.latency)
                #expect(latency.sampleCount == 2)
                let lowest = firsts.map { before.timeIntervalSince($0) }.min()! - 0.002
                let highest = firsts.map { after.timeIntervalSince($0) }.max()! + 0.002
                for value in [latency.p50, latency.p99, latency.maximum] {
                    let seconds = Double(value.components.seconds) + Double(value.components.attoseconds) * 1e-18
                    #expect(seconds >= lowest && seconds <= highest)
                }
                #expect(latency.p50 <= latency.p99 && latency.p99 <= latency.maximum)
                let tooLong = try await source.activity(minutes: 100_000, endingAt: Date())
                #expect(tooLong.receivedPerMinute.count == DeliveryActivity.maximumMinutes)
            }
        }
    }

    /// The latest deliveries since a time are counted by endpoint and key label, the most used label first.
    @Test(arguments: StoreBackend.all)
    func keyLabelUsageCountsTheLatestDeliveriesByLabel(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            let labels: [(String, String?)] = [
                ("stripe", "old"), ("stripe", "current"), ("connect", nil), ("stripe", "current"),
                ("stripe", "next"), ("connect", "connect-key"), ("stripe", "current"),
            ]
            for (n, (endpoint, label)) in labels.enumerated() {
                var delivery = sampleDelivery(
                    eventID: "evt_\(n)",
                    endpoint: endpoint,
                    receivedAt: t0.addingTimeInterval(Double(n))
                )
                delivery.keyLabel = label
                _ = try await append(store, delivery)
            }
            for source in [store, reader] as [any DeliveryReader] {
                let since = try await source.keyLabelUsage(since: t0.addingTimeInterval(1), limit: 100)
                #expect(
                    since == [
                        KeyLabelUsage(endpoint: "connect", keyLabel: "connect-key", count: 1, lastReceivedAt: t0 + 5),
                        KeyLabelUsage(endpoint: "connect", keyLabel: nil, count: 1, lastReceivedAt: t0 + 2),
                        KeyLabelUsage(endpoint: "stripe", keyLabel: "current", count: 3, lastReceivedAt: t0 + 6),
                        KeyLabelUsage(endpoint: "stripe", keyLabel: "next", count: 1, lastReceivedAt: t0 + 4),
                    ]
                )
                let latest = try await source.keyLabelUsage(since: t0, limit: 2)
                #expect(
                    latest == [
                        KeyLabelUsage(endpoint: "connect", keyLabel: "connect-key", count: 1, lastReceivedAt: t0 + 5),
                        KeyLabelUsage(endpoint: "stripe", keyLabel: "current", count: 1, lastReceivedAt: t0 + 6),
                    ]
                )
            }
        }
    }
}
