import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Leases and their expiry, every state a completed attempt moves a delivery to, requeues and replays.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct WorkQueueContractTests {
    let lease = Duration.seconds(30)

    /// A due delivery is leased to one claimer; a second claim at the same time gets nothing.
    @Test(arguments: StoreBackend.all)
    func dueDeliveryIsLeasedOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            let first = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10)
            let second = try await store.prepareAndClaim(now: t0.addingTimeInterval(1), leaseDuration: lease, limit: 10)
            #expect(first.map(\.record.id) == [id])
            #expect(first.first?.record.state == .delivering)
            #expect(first.first?.expiresAt == t0.addingTimeInterval(30))
            #expect(second.isEmpty)
        }
    }

    /// Concurrent claimers split the due deliveries without overlap.
    @Test(arguments: StoreBackend.all)
    func concurrentClaimersNeverShareADelivery(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            for n in 0..<40 { _ = try await store.append(sampleDelivery(eventID: "evt_\(n)")) }
            let claimed = try await withThrowingTaskGroup(of: [DeliveryID].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 7).map(\.record.id)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 40)
            #expect(Set(claimed).count == 40)
        }
    }

    /// A delivery that is not due yet is not claimed; claims come oldest due first, up to the limit.
    @Test(arguments: StoreBackend.all)
    func onlyDueDeliveriesAreClaimedInDueOrder(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let early = try #require(try await store.append(sampleDelivery(eventID: "evt_a", receivedAt: t0)).storedID)
            _ = try await store.append(sampleDelivery(eventID: "evt_b", receivedAt: t0.addingTimeInterval(10)))
            let later = try #require(
                try await store.append(sampleDelivery(eventID: "evt_c", receivedAt: t0.addingTimeInterval(5))).storedID
            )
            #expect(
                try await store.prepareAndClaim(now: t0.addingTimeInterval(-1), leaseDuration: lease, limit: 10).isEmpty
            )
            let claimed = try await store.prepareAndClaim(
                now: t0.addingTimeInterval(6),
                leaseDuration: lease,
                limit: 10
            )
            #expect(claimed.map(\.record.id) == [early, later])
        }
    }

    /// When a lease expires (the worker crashed), the delivery is claimable again, and the old
    /// lease can no longer complete the attempt.
    @Test(arguments: StoreBackend.all)
    func expiredLeaseIsClaimableAgainAndOldLeaseIsLost(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            let crashed = try #require(try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 1).first)
            #expect(
                try await store.prepareAndClaim(now: t0.addingTimeInterval(29), leaseDuration: lease, limit: 1).isEmpty
            )
            let retaken = try #require(
                try await store.prepareAndClaim(now: t0.addingTimeInterval(31), leaseDuration: lease, limit: 1).first
            )
            #expect(retaken.record.id == id)
            #expect(retaken.token != crashed.token)

            let report = AttemptReport(startedAt: t0, duration: .milliseconds(5), upstreamStatus: 200)
            let error = await #expect(throws: StoreError.self) {
                try await store.completeAttempt(crashed, report: report, outcome: .delivered)
            }
            #expect(error?.code == .leaseLost)
            try await store.completeAttempt(retaken, report: report, outcome: .delivered)
            let detail = try #require(try await store.delivery(id))
            #expect(detail.record.state == .delivered)
            #expect(detail.attempts.count == 1)
        }
    }

    /// pending -> delivering -> pending (retry at a time) -> delivering -> dead, with each attempt kept.
    @Test(arguments: StoreBackend.all)
    func retryThenDeadKeepsEveryAttempt(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            let first = try #require(try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 1).first)
            let retryAt = t0.addingTimeInterval(60)
            try await store.completeAttempt(
                first,
                report: AttemptReport(startedAt: t0, duration: .milliseconds(12), upstreamStatus: 503),
                outcome: .retry(at: retryAt)
            )

            var record = try #require(try await store.delivery(id)).record
            #expect(record.state == .pending)
            #expect(record.nextAttemptAt == retryAt)
            #expect(record.attemptCount == 1)
            #expect(record.lastError == "upstream status 503")
            #expect(
                try await store.prepareAndClaim(now: retryAt.addingTimeInterval(-1), leaseDuration: lease, limit: 1)
                    .isEmpty
            )

            let second = try #require(
                try await store.prepareAndClaim(now: retryAt, leaseDuration: lease, limit: 1).first
            )
            try await store.completeAttempt(
                second,
                report: AttemptReport(startedAt: retryAt, duration: .seconds(2), error: "connection refused"),
                outcome: .dead
            )

            let detail = try #require(try await store.delivery(id))
            record = detail.record
            #expect(record.state == .dead)
            #expect(record.nextAttemptAt == nil)
            #expect(record.leaseExpiresAt == nil)
            #expect(record.attemptCount == 2)
            #expect(record.lastError == "connection refused")
            #expect(detail.attempts.map(\.number) == [1, 2])
            #expect(detail.attempts.map(\.report.upstreamStatus) == [503, nil])
            #expect(detail.attempts[0].report.duration == .milliseconds(12))
            #expect(
                detail.attempts[1].report
                    == AttemptReport(startedAt: retryAt, duration: .seconds(2), error: "connection refused")
            )
            #expect(
                try await store.prepareAndClaim(now: retryAt.addingTimeInterval(3600), leaseDuration: lease, limit: 1)
                    .isEmpty
            )
        }
    }

    /// A replay requeues a delivered event under its id: dedup still answers duplicate to the
    /// provider, the delivery becomes due again, and its next attempt is marked as a replay.
    @Test(arguments: StoreBackend.all)
    func replayRequeuesWithoutBeingSwallowedByDedup(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            let first = try #require(try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 1).first)
            try await store.completeAttempt(
                first,
                report: AttemptReport(startedAt: t0, duration: .milliseconds(3), upstreamStatus: 202),
                outcome: .delivered
            )

            let replayAt = t0.addingTimeInterval(600)
            try await store.requeue(id, asReplay: true, now: replayAt)
            #expect(try await store.append(sampleDelivery()) == .duplicate(id))
            let replayed = try #require(
                try await store.prepareAndClaim(now: replayAt, leaseDuration: lease, limit: 1).first
            )
            #expect(replayed.record.id == id)
            #expect(replayed.record.replayCount == 1)
            try await store.completeAttempt(
                replayed,
                report: AttemptReport(startedAt: replayAt, duration: .milliseconds(3), upstreamStatus: 200),
                outcome: .delivered
            )

            let detail = try #require(try await store.delivery(id))
            #expect(detail.record.state == .delivered)
            #expect(detail.attempts.map(\.replayGeneration) == [0, 1])
            #expect(detail.attempts.map(\.number) == [1, 2])
        }
    }

    /// A requeue does not steal a delivery from a worker holding a live lease, and names unknown ids.
    @Test(arguments: StoreBackend.all)
    func requeueRefusesLeasedAndUnknownDeliveries(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            _ = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 1)
            let busy = await #expect(throws: StoreError.self) {
                try await store.requeue(id, asReplay: true, now: t0.addingTimeInterval(1))
            }
            #expect(busy?.code == .deliveryBusy)
            let missing = await #expect(throws: StoreError.self) {
                try await store.requeue(DeliveryID(9999), asReplay: true, now: t0)
            }
            #expect(missing?.code == .deliveryNotFound)
            // Once the lease has expired, the requeue goes through.
            try await store.requeue(id, asReplay: false, now: t0.addingTimeInterval(31))
            let record = try #require(try await store.delivery(id)).record
            #expect(record.state == .pending)
            #expect(record.replayCount == 0)
        }
    }

    /// Each outcome of an attempt moves the leased (delivering) delivery to its state and ends the lease:
    /// delivered, dead and skipped for good, pending again until the retry time.
    @Test(arguments: StoreBackend.all)
    func everyOutcomeMovesTheDeliveryToItsState(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let retryAt = t0.addingTimeInterval(60)
            let outcomes: [(eventID: String, outcome: AttemptOutcome, state: DeliveryState, next: Date?)] = [
                ("evt_delivered", .delivered, .delivered, nil),
                ("evt_retry", .retry(at: retryAt), .pending, retryAt),
                ("evt_dead", .dead, .dead, nil),
                ("evt_skipped", .skipped, .skipped, nil),
            ]
            var ids: [String: DeliveryID] = [:]
            for expected in outcomes {
                let id = try #require(try await store.append(sampleDelivery(eventID: expected.eventID)).storedID)
                ids[expected.eventID] = id
            }
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10)
            #expect(leases.count == 4)
            #expect(try await store.countByState()[.delivering] == 4)
            for expected in outcomes {
                let leased = try #require(leases.first { $0.record.id == ids[expected.eventID] })
                #expect(leased.record.state == .delivering)
                #expect(leased.record.leaseExpiresAt == t0.addingTimeInterval(30))
                try await store.completeAttempt(
                    leased,
                    report: AttemptReport(startedAt: t0, duration: .milliseconds(1)),
                    outcome: expected.outcome
                )
                let record = try #require(try await store.delivery(leased.record.id)).record
                #expect(record.state == expected.state, "\(expected.eventID)")
                #expect(record.nextAttemptAt == expected.next, "\(expected.eventID)")
                #expect(record.leaseExpiresAt == nil, "\(expected.eventID)")
                #expect(record.attemptCount == 1, "\(expected.eventID)")
            }
            let retried = try #require(ids["evt_retry"])
            let due = try await store.prepareAndClaim(
                now: retryAt.addingTimeInterval(3600),
                leaseDuration: lease,
                limit: 10
            )
            #expect(due.map(\.record.id) == [retried], "only the retry becomes due again")
        }
    }

    /// Only the current lease completes an attempt: a lease already completed, and one whose delivery was
    /// requeued after it expired, are refused with leaseLost and record nothing.
    @Test(arguments: StoreBackend.all)
    func aLeaseThatIsNoLongerCurrentIsRefused(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let done = try #require(try await store.append(sampleDelivery(eventID: "evt_done")).storedID)
            let requeued = try #require(try await store.append(sampleDelivery(eventID: "evt_requeued")).storedID)
            let leases = try await store.prepareAndClaim(now: t0, leaseDuration: lease, limit: 10)
            let report = AttemptReport(startedAt: t0, duration: .milliseconds(2), upstreamStatus: 200)

            let doneLease = try #require(leases.first { $0.record.id == done })
            try await store.completeAttempt(doneLease, report: report, outcome: .delivered)
            let twice = await #expect(throws: StoreError.self) {
                try await store.completeAttempt(
                    doneLease,
                    report: report,
                    outcome: .retry(at: t0.addingTimeInterval(60))
                )
            }
            #expect(twice?.code == .leaseLost)

            let staleLease = try #require(leases.first { $0.record.id == requeued })
            try await store.requeue(requeued, asReplay: false, now: t0.addingTimeInterval(31))
            let stale = await #expect(throws: StoreError.self) {
                try await store.completeAttempt(staleLease, report: report, outcome: .delivered)
            }
            #expect(stale?.code == .leaseLost)

            let doneDetail = try #require(try await store.delivery(done))
            #expect(doneDetail.record.state == .delivered)
            #expect(doneDetail.attempts.count == 1)
            let requeuedDetail = try #require(try await store.delivery(requeued))
            #expect(requeuedDetail.record.state == .pending)
            #expect(requeuedDetail.attempts.isEmpty)
        }
    }
}
