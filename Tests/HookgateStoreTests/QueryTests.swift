import Foundation
import HookgateStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct QueryTests {
    /// Appends: two endpoints, two types, received one minute apart; the third one is skipped.
    private func seed(_ store: SQLiteDeliveryStore) async throws -> [DeliveryID] {
        var ids: [DeliveryID] = []
        for n in 0..<6 {
            let delivery = sampleDelivery(
                eventID: "evt_\(n)",
                endpoint: n.isMultiple(of: 2) ? "stripe" : "connect",
                eventType: n < 3 ? "payment_intent.succeeded" : "charge.refunded",
                receivedAt: t0.addingTimeInterval(Double(n) * 60),
                isRouted: n != 2
            )
            ids.append(try #require(try await store.append(delivery).storedID))
        }
        return ids
    }

    /// Each filter narrows the list; results come newest first, up to the limit.
    @Test func filtersNarrowTheListNewestFirst() async throws {
        try await withStore { store, _ in
            let ids = try await seed(store)
            func list(_ query: DeliveryQuery) async throws -> [DeliveryID] {
                try await store.deliveries(matching: query).map(\.id)
            }
            #expect(try await list(DeliveryQuery()) == ids.reversed())
            #expect(try await list(DeliveryQuery(endpoint: "stripe")) == [ids[4], ids[2], ids[0]])
            #expect(try await list(DeliveryQuery(state: .skipped)) == [ids[2]])
            #expect(try await list(DeliveryQuery(eventType: "charge.refunded")) == [ids[5], ids[4], ids[3]])
            #expect(try await list(DeliveryQuery(eventID: "evt_1")) == [ids[1]])
            #expect(
                try await list(
                    DeliveryQuery(receivedFrom: t0.addingTimeInterval(60), receivedBefore: t0.addingTimeInterval(180))
                )
                    == [ids[2], ids[1]]
            )
            #expect(
                try await list(DeliveryQuery(endpoint: "connect", eventType: "charge.refunded")) == [ids[5], ids[3]]
            )
            #expect(try await list(DeliveryQuery(limit: 2)) == [ids[5], ids[4]])
            #expect(try await list(DeliveryQuery(endpoint: "nowhere")).isEmpty)
        }
    }

    /// Counts cover every state, zero included.
    @Test func countByStateCoversEveryState() async throws {
        try await withStore { store, _ in
            _ = try await seed(store)
            let lease = try #require(try await store.claimDue(now: t0, leaseDuration: .seconds(30), limit: 1).first)
            try await store.completeAttempt(
                lease,
                report: AttemptReport(startedAt: t0, duration: .milliseconds(1), upstreamStatus: 200),
                outcome: .delivered
            )
            _ = try await store.claimDue(now: t0.addingTimeInterval(60), leaseDuration: .seconds(30), limit: 1)
            let counts = try await store.countByState()
            #expect(counts == [.pending: 3, .delivering: 1, .delivered: 1, .skipped: 1, .dead: 0])
        }
    }

    /// An unknown id gives nil, not an error.
    @Test func unknownDeliveryIsNil() async throws {
        try await withStore { store, _ in
            let detail = try await store.delivery(DeliveryID(42))
            #expect(detail == nil)
        }
    }
}
