import Foundation
import HookgateStore
import Synchronization
import Testing

/// New deliveries leased in the transaction that stores them, when the worker has room.
///
/// The store leases at commit as of its own clock, the wall clock, so these tests do not use the fixed `t0`:
/// each reads the wall clock once (`now`) and takes every time it gives the store from that reading.
@Suite(.timeLimit(.minutes(1)))
struct ImmediateClaimTests {
    /// Collects the leases handed over at commit.
    final class Handover: Sendable {
        private let leases = Mutex<[DeliveryLease]>([])
        var all: [DeliveryLease] { leases.withLock { $0 } }
        func append(_ new: [DeliveryLease]) { leases.withLock { $0 += new } }
    }

    func claimer(
        budget: Int,
        into handover: Handover,
        key: @escaping @Sendable (DeliveryRecord) -> String? = { _ in nil }
    )
        -> ImmediateClaimer
    {
        ImmediateClaimer(
            budget: { budget },
            leaseDuration: .seconds(30),
            preparing: { record in
                .forward(OutboundPlan(messages: [], orderingKey: key(record), catalogType: "payment-succeeded"))
            },
            leased: { handover.append($0) }
        )
    }

    /// Within the budget, a new delivery is prepared and leased at its commit and handed over, not announced.
    @Test func aNewDeliveryIsLeasedAtItsCommit() async throws {
        try await withStore { store, _ in
            let now = Date()
            let handover = Handover()
            let wakeups = Counter()
            store.setWorkObserver { wakeups.increment() }
            store.setImmediateClaimer(claimer(budget: 4, into: handover))
            let id = try #require(try await store.append(sampleDelivery(receivedAt: now)).storedID)
            #expect(handover.all.map(\.record.id) == [id])
            #expect(handover.all.first?.record.state == .delivering)
            #expect(handover.all.first?.record.catalogType == "payment-succeeded")
            #expect(wakeups.value == 0, "nothing is left for a claim")
            #expect(try await store.claimDue(now: now, leaseDuration: .seconds(30), limit: 10).isEmpty)
            let lease = try #require(handover.all.first)
            try await store.completeAttempt(
                lease,
                report: AttemptReport(startedAt: now, duration: .milliseconds(1), upstreamStatus: 200),
                outcome: .delivered
            )
            #expect(try await store.delivery(id)?.record.state == .delivered)
        }
    }

    /// Without room (budget 0) the delivery waits for a claim, and the worker is woken for it.
    @Test func withoutRoomTheDeliveryWaitsForAClaim() async throws {
        try await withStore { store, _ in
            let now = Date()
            let handover = Handover()
            let wakeups = Counter()
            store.setWorkObserver { wakeups.increment() }
            store.setImmediateClaimer(claimer(budget: 0, into: handover))
            let id = try #require(try await store.append(sampleDelivery(receivedAt: now)).storedID)
            #expect(handover.all.isEmpty)
            #expect(wakeups.value == 1)
            let claimed = try await store.claimDue(now: now, leaseDuration: .seconds(30), limit: 10)
            #expect(claimed.map(\.record.id) == [id])
        }
    }

    /// A new delivery is not leased at commit while an older one of its payment is unfinished.
    @Test func paymentOrderHoldsForImmediateLeases() async throws {
        try await withStore { store, _ in
            let now = Date()
            let first = try #require(
                try await store.append(sampleDelivery(eventID: "evt_first", receivedAt: now)).storedID
            )
            _ = try await store.claimDue(now: now, leaseDuration: .seconds(30), limit: 0) { _ in
                .forward(OutboundPlan(messages: [], orderingKey: "pi_1"))
            }
            let handover = Handover()
            store.setImmediateClaimer(claimer(budget: 4, into: handover) { _ in "pi_1" })
            let second = NewDelivery(
                endpoint: "stripe",
                eventID: "evt_second",
                eventType: "payment_intent.succeeded",
                eventCreated: now.addingTimeInterval(60),
                receivedAt: now,
                body: Data("{}".utf8)
            )
            let id = try #require(try await store.append(second).storedID)
            #expect(handover.all.isEmpty, "the first delivery of pi_1 goes first")
            #expect(try await store.delivery(id)?.record.orderingKey == "pi_1", "prepared at its commit all the same")
            #expect(try await store.delivery(first)?.record.state == .pending)
        }
    }

    /// An older delivery still unprepared keeps new ones from being leased at commit: it may be of their payment.
    @Test func anOlderUnpreparedDeliveryDefersImmediateLeases() async throws {
        try await withStore { store, _ in
            let now = Date()
            let handover = Handover()
            store.setImmediateClaimer(claimer(budget: 0, into: handover))
            _ = try await store.append(sampleDelivery(eventID: "evt_old", receivedAt: now))
            store.setImmediateClaimer(claimer(budget: 4, into: handover))
            _ = try await store.append(sampleDelivery(eventID: "evt_new", receivedAt: now))
            #expect(handover.all.isEmpty)
            #expect(try await store.claimDue(now: now, leaseDuration: .seconds(30), limit: 10).count == 2)
        }
    }
}
