import Foundation
import HookgateStore
import Testing

/// How claims apply the worker's preparations: skips, rejections, messages, and facts forwarded once.
@Suite(.timeLimit(.minutes(1)))
struct PreparationTests {
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
    @Test func forwardedMessagesComeWithTheLease() async throws {
        try await withStore { store, _ in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            let plan = OutboundPlan(
                messages: [message("one", fact: "payment-succeeded:pi_1"), message("two")],
                orderingKey: "pi_1",
                catalogType: "payment-succeeded",
                subject: "pi_1"
            )
            let leases = try await store.claimDue(now: t0, leaseDuration: lease, limit: 10) { record in
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
    @Test func skipAndRejectEndTheDelivery() async throws {
        try await withStore { store, _ in
            let skipped = try #require(try await store.append(sampleDelivery(eventID: "evt_skip")).storedID)
            let rejected = try #require(try await store.append(sampleDelivery(eventID: "evt_reject")).storedID)
            let leases = try await store.claimDue(now: t0, leaseDuration: lease, limit: 10) { record in
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
    @Test func aFactIsForwardedByOneDeliveryOnly() async throws {
        try await withStore { store, _ in
            let first = try #require(try await store.append(sampleDelivery(eventID: "evt_a")).storedID)
            let second = try #require(try await store.append(sampleDelivery(eventID: "evt_b")).storedID)
            let leases = try await store.claimDue(now: t0, leaseDuration: lease, limit: 10) { record in
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
    @Test func onlyNewFactsOfADeliveryAreKept() async throws {
        try await withStore { store, _ in
            _ = try await store.append(sampleDelivery(eventID: "evt_a"))
            _ = try await store.append(sampleDelivery(eventID: "evt_b"))
            let leases = try await store.claimDue(now: t0, leaseDuration: lease, limit: 10) { record in
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
    @Test func aFailureAfterTheSuccessIsSuperseded() async throws {
        try await withStore { store, _ in
            let failedFirst = try #require(try await store.append(sampleDelivery(eventID: "evt_fail_1")).storedID)
            let succeeded = try #require(try await store.append(sampleDelivery(eventID: "evt_ok")).storedID)
            let failedLate = try #require(try await store.append(sampleDelivery(eventID: "evt_fail_2")).storedID)
            let leases = try await store.claimDue(now: t0, leaseDuration: lease, limit: 10) { record in
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
    @Test func aReplayIsNotSuppressedByItsFacts() async throws {
        try await withStore { store, _ in
            _ = try await store.append(sampleDelivery(eventID: "evt_a"))
            let duplicate = try #require(try await store.append(sampleDelivery(eventID: "evt_b")).storedID)
            let plan = OutboundPlan(messages: [message("fact", fact: "payment-succeeded:pi_1")])
            let first = try await store.claimDue(now: t0, leaseDuration: lease, limit: 10) { _ in .forward(plan) }
            #expect(first.count == 1)
            #expect(try await store.delivery(duplicate)?.record.state == .skipped)
            try await store.requeue(duplicate, asReplay: true, now: t0.addingTimeInterval(5))
            let replayed = try await store.claimDue(now: t0.addingTimeInterval(5), leaseDuration: lease, limit: 10) {
                _ in
                .forward(plan)
            }
            #expect(replayed.map(\.record.id) == [duplicate])
            #expect(replayed.first?.messages.count == 1)
        }
    }

    /// A delivery another claimer prepared first keeps that preparation.
    @Test func theFirstPreparationWins() async throws {
        try await withStore { store, _ in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            _ = try await store.claimDue(now: t0, leaseDuration: lease, limit: 0) { _ in
                .forward(OutboundPlan(messages: [], orderingKey: "first"))
            }
            let leases = try await store.claimDue(now: t0, leaseDuration: lease, limit: 10) { _ in
                .skip(reason: "second")
            }
            #expect(leases.map(\.record.id) == [id])
            #expect(leases.first?.record.orderingKey == "first")
        }
    }

    /// Appends and requeues call the work observer, so a worker need not wait for its next poll.
    @Test func appendsAndRequeuesWakeTheWorker() async throws {
        try await withStore { store, _ in
            let calls = Counter()
            store.setWorkObserver { calls.increment() }
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            #expect(calls.value == 1)
            _ = try await store.append(sampleDelivery())
            #expect(calls.value == 1, "a duplicate makes nothing due")
            try await store.requeue(id, asReplay: true, now: t0)
            #expect(calls.value == 2)
        }
    }
}
