import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Deliveries of one ordering key are leased one at a time, by event creation time; other keys flow in parallel.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct OrderingContractTests {
    let lease = Duration.seconds(30)

    /// A delivery of `key` whose event was created `created` seconds after t0, received `received` seconds
    /// after t0 (in append order when the same).
    func append(
        _ store: any DeliveryStore,
        _ eventID: String,
        created: TimeInterval,
        received: TimeInterval = 0
    ) async throws -> DeliveryID {
        let delivery = NewDelivery(
            endpoint: "stripe",
            eventID: eventID,
            eventType: "payment_intent.succeeded",
            eventCreated: t0.addingTimeInterval(created),
            receivedAt: t0.addingTimeInterval(received),
            body: Data(eventID.utf8)
        )
        return try #require(try await store.append(delivery).storedID)
    }

    /// Prepares by the body: `<key>/<anything>` gets ordering key `<key>`; `-` gets none.
    let prepareByKey: @Sendable (DeliveryRecord) -> DeliveryPreparation = { record in
        let key = String(decoding: record.received.body, as: UTF8.self).split(separator: "/").first.map(String.init)
        return .forward(OutboundPlan(messages: [], orderingKey: key == "-" ? nil : key))
    }

    func claim(_ store: any DeliveryStore, at seconds: TimeInterval = 0) async throws -> [DeliveryID] {
        try await store.prepareAndClaim(
            now: t0.addingTimeInterval(seconds),
            leaseDuration: lease,
            limit: 100,
            preparing: prepareByKey
        ).map(\.record.id)
    }

    func finish(
        _ store: any DeliveryStore,
        _ id: DeliveryID,
        leases: [DeliveryLease],
        outcome: AttemptOutcome
    ) async throws {
        let lease = try #require(leases.first { $0.record.id == id })
        try await store.completeAttempt(
            lease,
            report: AttemptReport(startedAt: t0, duration: .milliseconds(1)),
            outcome: outcome
        )
    }

    /// Of one key, the earliest created goes first even when it arrived last; the next waits for it.
    @Test(arguments: StoreBackend.all)
    func oneAtATimeInCreatedOrder(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let late = try await append(store, "pi_1/late", created: 30)
            let early = try await append(store, "pi_1/early", created: 10)
            let middle = try await append(store, "pi_1/middle", created: 20)
            var leases = try await store.prepareAndClaim(
                now: t0,
                leaseDuration: lease,
                limit: 100,
                preparing: prepareByKey
            )
            #expect(leases.map(\.record.id) == [early])
            #expect(try await claim(store).isEmpty, "nothing of pi_1 while one is leased")
            try await finish(store, early, leases: leases, outcome: .delivered)
            leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 100, preparing: prepareByKey)
            #expect(leases.map(\.record.id) == [middle])
            try await finish(store, middle, leases: leases, outcome: .delivered)
            #expect(try await claim(store) == [late])
        }
    }

    /// Different keys, and deliveries without a key, are leased together.
    @Test(arguments: StoreBackend.all)
    func differentKeysFlowInParallel(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let a = try await append(store, "pi_a/1", created: 1)
            let b = try await append(store, "pi_b/1", created: 2)
            let free1 = try await append(store, "-/1", created: 3)
            let free2 = try await append(store, "-/2", created: 4)
            _ = try await append(store, "pi_a/2", created: 5)
            #expect(Set(try await claim(store)) == [a, b, free1, free2])
        }
    }

    /// A delivery waiting for its retry holds back the later ones of its key, so they arrive in order.
    @Test(arguments: StoreBackend.all)
    func aRetryingDeliveryHoldsBackLaterOnes(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let first = try await append(store, "pi_1/first", created: 1)
            let second = try await append(store, "pi_1/second", created: 2)
            let other = try await append(store, "pi_2/other", created: 3)
            let leases = try await store.prepareAndClaim(
                now: t0,
                leaseDuration: lease,
                limit: 100,
                preparing: prepareByKey
            )
            #expect(leases.map(\.record.id) == [first, other])
            try await finish(store, first, leases: leases, outcome: .retry(at: t0.addingTimeInterval(60)))
            #expect(try await claim(store, at: 1).isEmpty, "the second waits for the first's retry at t0+60")
            let retried = try await store.prepareAndClaim(
                now: t0.addingTimeInterval(61),
                leaseDuration: lease,
                limit: 100,
                preparing: prepareByKey
            )
            #expect(retried.map(\.record.id).contains(first) && !retried.map(\.record.id).contains(second))
            try await finish(store, first, leases: retried, outcome: .dead)
            #expect(try await claim(store, at: 62) == [second], "a dead delivery no longer holds the others back")
        }
    }

    /// A backlog longer than one preparation chunk is prepared whole before leasing, so the earliest event of a
    /// payment goes first even when it was received last.
    @Test(arguments: StoreBackend.all)
    func theWholeBacklogIsPreparedBeforeLeasing(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            var last: DeliveryID?
            for n in 0..<300 {
                last = try await append(store, "pi_1/\(n)", created: TimeInterval(1000 - n))
            }
            #expect(try await claim(store) == [try #require(last)])
        }
    }

    /// A delivery with an ordering key waits while one received before it is not prepared (its key is not known
    /// yet, and may be the same); one without a key does not wait. Once the earlier one is prepared, the
    /// payment's events go in created order.
    @Test(arguments: StoreBackend.all)
    func aKeyedDeliveryWaitsWhileOneReceivedBeforeItIsUnprepared(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let earlier = try await append(store, "pi_1/earlier", created: 10, received: 0)
            let later = try await append(store, "pi_1/later", created: 20, received: 1)
            let free = try await append(store, "-/free", created: 30, received: 2)
            let unprepared = try await store.unprepared(limit: 100)
            let prepared = { (ids: Set<DeliveryID>) in
                unprepared.filter { ids.contains($0.id) }.map {
                    PreparedDelivery(id: $0.id, preparation: prepareByKey($0))
                }
            }
            try await store.applyPreparations(prepared([later, free]), now: t0)
            let first = try await store.claimDue(now: t0.addingTimeInterval(5), leaseDuration: lease, limit: 100)
            #expect(first.map(\.record.id) == [free], "pi_1's later event waits for the unprepared earlier one")
            try await store.applyPreparations(prepared([earlier]), now: t0)
            #expect(try await claim(store, at: 5) == [earlier])
        }
    }

    /// A leased delivery whose lease expired is due again and keeps its turn.
    @Test(arguments: StoreBackend.all)
    func anExpiredLeaseKeepsItsTurn(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let first = try await append(store, "pi_1/first", created: 1)
            _ = try await append(store, "pi_1/second", created: 2)
            #expect(try await claim(store) == [first])
            #expect(try await claim(store, at: 31) == [first])
        }
    }
}
