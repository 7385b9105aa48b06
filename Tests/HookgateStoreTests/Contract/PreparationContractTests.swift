import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// How claims apply the worker's preparations: skips, rejections, messages, and facts forwarded once.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct PreparationContractTests {
    let lease = Duration.seconds(30)

    func message(_ text: String, fact: String? = nil, supersededBy: String? = nil) -> OutboundMessage {
        OutboundMessage(
            contentType: "application/cloudevents+json",
            body: Data(text.utf8),
            factKey: fact,
            supersededBy: supersededBy
        )
    }

    /// The preparation's messages come with the lease; its routing fields are stored on the delivery.
    @Test(arguments: StoreBackend.all)
    func forwardedMessagesComeWithTheLease(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            let plan = OutboundPlan(
                messages: [message("one", fact: "payment-succeeded:pi_1"), message("two")],
                orderingKey: "pi_1",
                catalogType: "payment-succeeded",
                subject: "pi_1"
            )
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10) { record in
                record.received.body == Data(#"{"id":"evt_1"}"#.utf8) ? .forward(plan) : .reject(error: "wrong body")
            }
            let leased = try #require(leases.first)
            #expect(leased.record.id == id)
            #expect(leased.messages.map { String(decoding: $0.body, as: UTF8.self) } == ["one", "two"])
            #expect(leased.messages.allSatisfy { $0.contentType == "application/cloudevents+json" })
            #expect(leased.record.orderingKey == "pi_1")
            #expect(leased.record.catalogType == "payment-succeeded")
            #expect(leased.record.subject == "pi_1")
            #expect(leased.record.preparedAt == t0)
        }
    }

    /// A skip and a rejection end the delivery without a lease, with the reason kept.
    @Test(arguments: StoreBackend.all)
    func skipAndRejectEndTheDelivery(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let skipped = try #require(try await store.append(sampleDelivery(eventID: "evt_skip")).storedID)
            let rejected = try #require(try await store.append(sampleDelivery(eventID: "evt_reject")).storedID)
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10) { record in
                record.received.eventID == "evt_skip"
                    ? .skip(reason: "unmapped: customer.created") : .reject(error: "normalization_failed: no amount")
            }
            #expect(leases.isEmpty)
            let skip = try #require(try await store.delivery(skipped)).record
            #expect(skip.state == .skipped)
            #expect(skip.skipReason == "unmapped: customer.created")
            #expect(skip.nextAttemptAt == nil)
            let reject = try #require(try await store.delivery(rejected)).record
            #expect(reject.state == .dead)
            #expect(reject.lastError == "normalization_failed: no amount")
        }
    }

    /// Two deliveries announcing the same fact: the first forwards it, the second is skipped naming the first.
    @Test(arguments: StoreBackend.all)
    func aFactIsForwardedByOneDeliveryOnly(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let first = try #require(try await store.append(sampleDelivery(eventID: "evt_a")).storedID)
            let second = try #require(try await store.append(sampleDelivery(eventID: "evt_b")).storedID)
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10) { record in
                .forward(OutboundPlan(messages: [message(record.received.eventID, fact: "refund-processed:re_1")]))
            }
            #expect(leases.map(\.record.id) == [first])
            let duplicate = try #require(try await store.delivery(second)).record
            #expect(duplicate.state == .skipped)
            #expect(
                duplicate.skipReason
                    == "duplicate fact: refund-processed:re_1 is forwarded by delivery \(first.rawValue)"
            )
        }
    }

    /// Of several messages, only those whose facts are new are kept.
    @Test(arguments: StoreBackend.all)
    func onlyNewFactsOfADeliveryAreKept(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            _ = try await store.append(sampleDelivery(eventID: "evt_a"))
            _ = try await store.append(sampleDelivery(eventID: "evt_b"))
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10) { record in
                record.received.eventID == "evt_a"
                    ? .forward(OutboundPlan(messages: [message("re_1", fact: "refund-processed:re_1")]))
                    : .forward(
                        OutboundPlan(messages: [
                            message("re_1 again", fact: "refund-processed:re_1"),
                            message("re_2", fact: "refund-processed:re_2"),
                        ])
                    )
            }
            #expect(
                leases.map { $0.messages.map { String(decoding: $0.body, as: UTF8.self) } } == [["re_1"], ["re_2"]]
            )
        }
    }

    /// A failure whose payment already succeeded is superseded; one before the success is forwarded.
    @Test(arguments: StoreBackend.all)
    func aFailureAfterTheSuccessIsSuperseded(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let failedFirst = try #require(try await store.append(sampleDelivery(eventID: "evt_fail_1")).storedID)
            let succeeded = try #require(try await store.append(sampleDelivery(eventID: "evt_ok")).storedID)
            let failedLate = try #require(try await store.append(sampleDelivery(eventID: "evt_fail_2")).storedID)
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10) { record in
                record.received.eventID == "evt_ok"
                    ? .forward(OutboundPlan(messages: [message("ok", fact: "payment-succeeded:pi_1")]))
                    : .forward(OutboundPlan(messages: [message("failed", supersededBy: "payment-succeeded:pi_1")]))
            }
            #expect(Set(leases.map(\.record.id)) == [failedFirst, succeeded])
            let superseded = try #require(try await store.delivery(failedLate)).record
            #expect(superseded.state == .skipped)
            #expect(
                superseded.skipReason
                    == "superseded: payment-succeeded:pi_1 arrived first (delivery \(succeeded.rawValue))"
            )
        }
    }

    /// A replay is prepared again and forwarded even though its fact was forwarded before.
    @Test(arguments: StoreBackend.all)
    func aReplayIsNotSuppressedByItsFacts(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            _ = try await store.append(sampleDelivery(eventID: "evt_a"))
            let duplicate = try #require(try await store.append(sampleDelivery(eventID: "evt_b")).storedID)
            let plan = OutboundPlan(messages: [message("fact", fact: "payment-succeeded:pi_1")])
            let first = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10) { _ in .forward(plan)
            }
            #expect(first.count == 1)
            #expect(try await store.delivery(duplicate)?.record.state == .skipped)
            try await store.requeue(duplicate, asReplay: true, now: t0.addingTimeInterval(5))
            let replayed = try await store.prepareAndClaim(
                now: t0.addingTimeInterval(5),
                leaseDuration: lease,
                limit: 10
            ) {
                _ in
                .forward(plan)
            }
            #expect(replayed.map(\.record.id) == [duplicate])
            #expect(replayed.first?.messages.count == 1)
        }
    }

    /// Of two workers that read the same unprepared delivery, the first to apply its decision wins; the other's
    /// decision, applied later, is ignored.
    @Test(arguments: StoreBackend.all)
    func theFirstPreparationWins(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            let seenByFirst = try await store.unprepared(limit: 10)
            let seenBySecond = try await store.unprepared(limit: 10)
            #expect(seenByFirst.map(\.id) == [id])
            #expect(seenBySecond.map(\.id) == [id])
            try await store.applyPreparations(
                seenByFirst.map {
                    PreparedDelivery(id: $0.id, preparation: .forward(OutboundPlan(messages: [], orderingKey: "first")))
                },
                now: t0
            )
            try await store.applyPreparations(
                seenBySecond.map { PreparedDelivery(id: $0.id, preparation: .skip(reason: "second")) },
                now: t0.addingTimeInterval(1)
            )
            #expect(try await store.unprepared(limit: 10).isEmpty)
            let leases = try await store.claimDue(now: t0.addingTimeInterval(1), leaseDuration: lease, limit: 10)
            #expect(leases.map(\.record.id) == [id])
            #expect(leases.first?.record.orderingKey == "first")
            #expect(leases.first?.record.preparedAt == t0)
            #expect(leases.first?.record.skipReason == nil)
        }
    }

    /// `unprepared` lists the unfinished deliveries not prepared yet, oldest received first (then by id), up to
    /// its limit; none of them is leased before it is prepared.
    @Test(arguments: StoreBackend.all)
    func unpreparedListsOldestReceivedFirst(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            func append(_ eventID: String, at seconds: TimeInterval, isRouted: Bool = true) async throws -> DeliveryID {
                let delivery = sampleDelivery(
                    eventID: eventID,
                    receivedAt: t0.addingTimeInterval(seconds),
                    isRouted: isRouted
                )
                return try #require(try await store.append(delivery).storedID)
            }
            let late = try await append("evt_late", at: 20)
            let early = try await append("evt_early", at: 0)
            _ = try await append("evt_unrouted", at: -10, isRouted: false)
            let tieFirst = try await append("evt_tie_1", at: 10)
            let tieSecond = try await append("evt_tie_2", at: 10)
            let now = t0.addingTimeInterval(60)
            #expect(try await store.claimDue(now: now, leaseDuration: lease, limit: 10).isEmpty)
            #expect(try await store.unprepared(limit: 10).map(\.id) == [early, tieFirst, tieSecond, late])
            #expect(try await store.unprepared(limit: 2).map(\.id) == [early, tieFirst])
            try await store.applyPreparations([PreparedDelivery(id: early, preparation: .forward(.raw))], now: now)
            #expect(try await store.unprepared(limit: 10).map(\.id) == [tieFirst, tieSecond, late])
            #expect(try await store.claimDue(now: now, leaseDuration: lease, limit: 10).map(\.record.id) == [early])
        }
    }

    /// A decision for a delivery that is no longer unprepared changes nothing: an unrouted (skipped) one, a
    /// delivered one and a leased one keep their state, and the lease still completes the attempt.
    @Test(arguments: StoreBackend.all)
    func aDecisionForAPreparedOrFinishedDeliveryChangesNothing(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let unrouted = try #require(
                try await store.append(sampleDelivery(eventID: "evt_unrouted", isRouted: false)).storedID
            )
            let delivered = try #require(try await store.append(sampleDelivery(eventID: "evt_delivered")).storedID)
            let leased = try #require(try await store.append(sampleDelivery(eventID: "evt_leased")).storedID)
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10)
            let report = AttemptReport(startedAt: t0, duration: .milliseconds(1), upstreamStatus: 200)
            try await store.completeAttempt(
                try #require(leases.first { $0.record.id == delivered }),
                report: report,
                outcome: .delivered
            )

            try await store.applyPreparations(
                [unrouted, delivered, leased].map {
                    PreparedDelivery(id: $0, preparation: .reject(error: "late decision"))
                },
                now: t0.addingTimeInterval(1)
            )
            for (id, state) in [(unrouted, DeliveryState.skipped), (delivered, .delivered), (leased, .delivering)] {
                let record = try #require(try await store.delivery(id)).record
                #expect(record.state == state)
                #expect(record.lastError == nil)
            }
            #expect(try await store.delivery(delivered)?.record.preparedAt == t0)
            try await store.completeAttempt(
                try #require(leases.first { $0.record.id == leased }),
                report: report,
                outcome: .delivered
            )
            #expect(try await store.delivery(leased)?.record.state == .delivered)
        }
    }

    /// A replayed failure is prepared again and forwarded, although the success superseding it arrived first.
    @Test(arguments: StoreBackend.all)
    func aReplayIsNotSupersededByEarlierFacts(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let succeeded = try #require(try await store.append(sampleDelivery(eventID: "evt_ok")).storedID)
            let failed = try #require(try await store.append(sampleDelivery(eventID: "evt_fail")).storedID)
            let preparing: (DeliveryRecord) -> DeliveryPreparation = { record in
                record.received.eventID == "evt_ok"
                    ? .forward(OutboundPlan(messages: [message("ok", fact: "payment-succeeded:pi_1")]))
                    : .forward(OutboundPlan(messages: [message("failed", supersededBy: "payment-succeeded:pi_1")]))
            }
            let first = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10, preparing: preparing)
            #expect(first.map(\.record.id) == [succeeded])
            #expect(try await store.delivery(failed)?.record.state == .skipped)
            try await store.requeue(failed, asReplay: true, now: t0.addingTimeInterval(5))
            let replayed = try await store.prepareAndClaim(
                now: t0.addingTimeInterval(5),
                leaseDuration: lease,
                limit: 10,
                preparing: preparing
            )
            #expect(replayed.map(\.record.id) == [failed])
            #expect(replayed.first?.messages.map { String(decoding: $0.body, as: UTF8.self) } == ["failed"])
            #expect(replayed.first?.record.skipReason == nil)
        }
    }
}
