import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Reads: filters, details, inspections, statistics, counts, pages and readiness, each asked of the store and of
/// the backend's read-only reader of it.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct ReaderContractTests {
    /// Six deliveries over two endpoints, received a minute apart, prepared as payments of `pi_even` / `pi_odd`
    /// (catalog type by parity) and leased at t0+600 s; evt_5 is not routed (skipped, never prepared).
    private func seed(_ store: any DeliveryStore) async throws -> (ids: [DeliveryID], leases: [DeliveryLease]) {
        var ids: [DeliveryID] = []
        for n in 0..<6 {
            let delivery = sampleDelivery(
                eventID: "evt_\(n)",
                endpoint: n < 3 ? "stripe" : "connect",
                eventType: n.isMultiple(of: 2) ? "payment_intent.succeeded" : "payment_intent.payment_failed",
                receivedAt: t0.addingTimeInterval(Double(n) * 60),
                isRouted: n != 5
            )
            ids.append(try #require(try await store.append(delivery).storedID))
        }
        let leases = try await store.prepareAndClaim(
            now: t0.addingTimeInterval(600),
            leaseDuration: .seconds(30),
            limit: 10
        ) { record in
            let even = record.received.eventType == "payment_intent.succeeded"
            return .forward(
                OutboundPlan(
                    messages: [
                        OutboundMessage(
                            contentType: "application/cloudevents+json",
                            body: Data(#"{"id":"\#(record.received.eventID)","type":"x"}"#.utf8)
                        )
                    ],
                    catalogType: even ? "payment-succeeded" : "payment-failed",
                    subject: even ? "pi_even" : "pi_odd"
                )
            )
        }
        return (ids, leases)
    }

    /// Each filter on what was received narrows the list; results come newest first, up to the limit.
    @Test(arguments: StoreBackend.all)
    func filtersNarrowTheListNewestFirst(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            let ids = try await seed(store).ids
            for source in [store, reader] as [any DeliveryReader] {
                func list(_ query: DeliveryQuery) async throws -> [DeliveryID] {
                    try await source.deliveries(matching: query).map(\.id)
                }
                #expect(try await list(DeliveryQuery()) == ids.reversed())
                #expect(try await list(DeliveryQuery(endpoint: "stripe")) == [ids[2], ids[1], ids[0]])
                #expect(try await list(DeliveryQuery(state: .skipped)) == [ids[5]])
                #expect(
                    try await list(DeliveryQuery(eventType: "payment_intent.payment_failed")) == [
                        ids[5], ids[3], ids[1],
                    ]
                )
                #expect(try await list(DeliveryQuery(eventID: "evt_4")) == [ids[4]])
                #expect(
                    try await list(
                        DeliveryQuery(
                            receivedFrom: t0.addingTimeInterval(60),
                            receivedBefore: t0.addingTimeInterval(180)
                        )
                    ) == [ids[2], ids[1]]
                )
                #expect(
                    try await list(DeliveryQuery(endpoint: "connect", eventType: "payment_intent.succeeded")) == [
                        ids[4]
                    ]
                )
                #expect(try await list(DeliveryQuery(limit: 2)) == [ids[5], ids[4]])
                #expect(try await list(DeliveryQuery(endpoint: "nowhere")).isEmpty)
            }
        }
    }

    /// The catalog type and subject the preparation stored filter the list too, alone and with other filters.
    @Test(arguments: StoreBackend.all)
    func filtersOnPreparedFieldsNarrowTheList(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            let ids = try await seed(store).ids
            for source in [store, reader] as [any DeliveryReader] {
                func list(_ query: DeliveryQuery) async throws -> [DeliveryID] {
                    try await source.deliveries(matching: query).map(\.id)
                }
                #expect(try await list(DeliveryQuery(catalogType: "payment-succeeded")) == [ids[4], ids[2], ids[0]])
                #expect(try await list(DeliveryQuery(subject: "pi_odd")) == [ids[3], ids[1]])
                #expect(try await list(DeliveryQuery(endpoint: "stripe", subject: "pi_odd")) == [ids[1]])
                #expect(
                    try await list(DeliveryQuery(endpoint: "connect", catalogType: "payment-succeeded")) == [ids[4]]
                )
                #expect(try await list(DeliveryQuery(state: .skipped, catalogType: "payment-failed")).isEmpty)
            }
        }
    }

    /// Counts cover every state, zero included.
    @Test(arguments: StoreBackend.all)
    func countByStateCoversEveryState(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            let (ids, leases) = try await seed(store)
            let report = AttemptReport(startedAt: t0.addingTimeInterval(600), duration: .milliseconds(1))
            for (id, outcome) in [(ids[0], AttemptOutcome.delivered), (ids[1], .retry(at: t0.addingTimeInterval(900)))]
            {
                try await store.completeAttempt(
                    try #require(leases.first { $0.record.id == id }),
                    report: report,
                    outcome: outcome
                )
            }
            for source in [store, reader] as [any DeliveryReader] {
                let counts = try await source.countByState()
                #expect(counts == [.pending: 1, .delivering: 3, .delivered: 1, .skipped: 1, .dead: 0])
            }
        }
    }

    /// An unknown id gives nil, not an error.
    @Test(arguments: StoreBackend.all)
    func unknownDeliveryIsNil(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            for source in [store, reader] as [any DeliveryReader] {
                let detail = try await source.delivery(DeliveryID(42))
                let inspection = try await source.inspection(of: DeliveryID(42))
                #expect(detail == nil)
                #expect(inspection == nil)
            }
        }
    }

    /// An inspection holds every attempt, in order, with the prepared messages and the body as received.
    @Test(arguments: StoreBackend.all)
    func inspectionHasEveryAttemptAndTheMessages(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            let ids = try await seed(store).ids
            // The seed's claim leased every routed delivery; fail evt_0 twice, then deliver it.
            var now = t0.addingTimeInterval(600)
            for status in [503, 500, 200] {
                let leases = try await store.prepareAndClaim(
                    now: now.addingTimeInterval(60),
                    leaseDuration: .seconds(30),
                    limit: 10
                )
                let lease = try #require(leases.first { $0.record.id == ids[0] })
                try await store.completeAttempt(
                    lease,
                    report: AttemptReport(
                        startedAt: now.addingTimeInterval(60),
                        duration: .milliseconds(12),
                        upstreamStatus: status,
                        error: status == 200 ? nil : "HTTP \(status)"
                    ),
                    outcome: status == 200 ? .delivered : .retry(at: now.addingTimeInterval(61))
                )
                now = now.addingTimeInterval(120)
            }
            for source in [store, reader] as [any DeliveryReader] {
                let inspection = try #require(try await source.inspection(of: ids[0]))
                #expect(inspection.detail.record.state == .delivered)
                #expect(inspection.detail.attempts.map(\.report.upstreamStatus) == [503, 500, 200])
                #expect(inspection.detail.attempts.map(\.number) == [1, 2, 3])
                #expect(inspection.detail.attempts[0].report.duration == .milliseconds(12))
                #expect(inspection.messages.map(\.contentType) == ["application/cloudevents+json"])
                #expect(inspection.messages.first?.body == Data(#"{"id":"evt_0","type":"x"}"#.utf8))
                #expect(inspection.detail.record.received.body == Data(#"{"id":"evt_1"}"#.utf8))
            }
        }
    }

    /// An event id finds its delivery at every endpoint, or at the one asked for.
    @Test(arguments: StoreBackend.all)
    func anEventIDFindsItsDeliveryAtEveryEndpoint(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            let first = try #require(try await store.append(sampleDelivery(eventID: "evt_x", endpoint: "a")).storedID)
            let second = try #require(try await store.append(sampleDelivery(eventID: "evt_x", endpoint: "b")).storedID)
            for source in [store, reader] as [any DeliveryReader] {
                #expect(
                    try await source.inspections(eventID: "evt_x", endpoint: nil).map(\.detail.record.id) == [
                        first, second,
                    ]
                )
                #expect(
                    try await source.inspections(eventID: "evt_x", endpoint: "b").map(\.detail.record.id) == [second]
                )
                #expect(try await source.inspections(eventID: "evt_missing", endpoint: nil).isEmpty)
            }
        }
    }

    /// Statistics count by state, event type and catalog type, within the query's time range.
    @Test(arguments: StoreBackend.all)
    func statisticsCountByStateAndTypeWithinTheRange(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            _ = try await seed(store)
            for source in [store, reader] as [any DeliveryReader] {
                let all = try await source.statistics(matching: DeliveryQuery())
                #expect(all.total == 6)
                #expect(all.byState == [.pending: 0, .delivering: 5, .delivered: 0, .skipped: 1, .dead: 0])
                #expect(all.byEventType == ["payment_intent.succeeded": 3, "payment_intent.payment_failed": 3])
                #expect(all.byCatalogType == ["payment-succeeded": 3, "payment-failed": 2])
                #expect(all.withoutCatalogType == 1)
                let late = try await source.statistics(
                    matching: DeliveryQuery(receivedFrom: t0.addingTimeInterval(240))
                )
                #expect(late.total == 2)
                #expect(late.byState[.skipped] == 1)
                #expect(late.byEventType == ["payment_intent.succeeded": 1, "payment_intent.payment_failed": 1])
            }
        }
    }

    /// Pages of a filtered selection cover it once, oldest first, until an empty page.
    @Test(arguments: StoreBackend.all)
    func pagesCoverTheSelectionOnceOldestFirst(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            var appended: [DeliveryID] = []
            for n in 0..<23 {
                appended.append(try #require(try await store.append(sampleDelivery(eventID: "evt_\(n)")).storedID))
            }
            for source in [store, reader] as [any DeliveryReader] {
                var seen: [DeliveryID] = []
                var last: DeliveryCursor?
                while true {
                    let page = try await source.deliveries(
                        matching: DeliveryQuery(endpoint: "stripe"),
                        after: last,
                        pageSize: 5
                    )
                    seen += page.map(\.id)
                    guard let final = page.last else { break }
                    last = DeliveryCursor(final)
                }
                #expect(seen == appended)
                let none = try await source.deliveries(
                    matching: DeliveryQuery(endpoint: "other"),
                    after: nil,
                    pageSize: 5
                )
                #expect(none.isEmpty)
            }
        }
    }

    /// The store is readable and writable; its read-only reader is readable and never writable.
    @Test(arguments: StoreBackend.all)
    func readinessOfTheStoreAndTheReader(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            #expect(await store.isReadable())
            #expect(await store.isWritable())
            #expect(await reader.isReadable())
            #expect(await !reader.isWritable())
        }
    }
}
