import Foundation
import HookgateTestSupport
import Logging
import PostgresNIO
import Testing

@testable import HookgateStore

/// PostgreSQL only: two stores on one database, as two gateway replicas (each with its own connections), race
/// for the same work, and the database settles every race.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct PostgresReplicaRaceTests {
    let lease = Duration.seconds(30)

    /// Runs `body` with two running stores on one fresh database.
    private func withTwoReplicas(
        _ body: (any DeliveryStore, any DeliveryStore) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            try await StoreBackend.postgres.withRunningStore(in: directory) { first in
                try await StoreBackend.postgres.withRunningStore(in: directory) { second in
                    try await body(first, second)
                }
            }
        }
    }

    /// The same event appended on both replicas at once, 30 times over, and 8 copies of one more spread over
    /// both: each is stored once, every other append answers duplicate with its id.
    @Test func theSameEventAppendedOnTwoReplicasIsStoredOnce() async throws {
        try await withTwoReplicas { first, second in
            for round in 0..<30 {
                let delivery = sampleDelivery(eventID: "evt_race_\(round)")
                async let onFirst = first.append(delivery)
                async let onSecond = second.append(delivery)
                let results = try await [onFirst, onSecond]
                #expect(results.filter { !$0.isDuplicate }.count == 1, "round \(round)")
                #expect(Set(results.map(\.id)).count == 1, "round \(round)")
            }
            let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
                for copy in 0..<8 {
                    let store = copy.isMultiple(of: 2) ? first : second
                    group.addTask { try await store.append(sampleDelivery(eventID: "evt_many")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { !$0.isDuplicate }.count == 1)
            #expect(Set(results.map(\.id)).count == 1)
            #expect(try await first.deliveries(matching: DeliveryQuery(limit: 1000)).count == 31)
        }
    }

    /// Twelve claimers, six per replica, claim 60 due deliveries at once: no delivery is leased twice, and
    /// together they lease every one.
    @Test func claimsOnTwoReplicasNeverLeaseADeliveryTwice() async throws {
        try await withTwoReplicas { first, second in
            for n in 0..<60 { _ = try await first.append(sampleDelivery(eventID: "evt_\(n)")) }
            let unprepared = try await second.unprepared(limit: 100)
            try await second.applyPreparations(
                unprepared.map { PreparedDelivery(id: $0.id, preparation: .forward(.raw)) },
                now: t0
            )
            let claimed = try await withThrowingTaskGroup(of: [DeliveryID].self) { group in
                for claimer in 0..<12 {
                    let store = claimer.isMultiple(of: 2) ? first : second
                    group.addTask {
                        var mine: [DeliveryID] = []
                        while true {
                            let leases = try await store.claimDue(now: t0, leaseDuration: lease, limit: 3)
                            if leases.isEmpty { return mine }
                            mine += leases.map(\.record.id)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 60)
            #expect(Set(claimed).count == 60)
            #expect(try await first.countByState()[.delivering] == 60)
        }
    }

    /// Deliveries of eight payments, two each, prepared on one replica, claimed on both at once: of each payment
    /// only the earlier one is leased, once.
    @Test func oneDeliveryPerOrderingKeyIsInFlightAcrossReplicas() async throws {
        try await withTwoReplicas { first, second in
            var earlier: [DeliveryID] = []
            for payment in 0..<8 {
                for step in 0..<2 {
                    let delivery = NewDelivery(
                        endpoint: "stripe",
                        eventID: "evt_\(payment)_\(step)",
                        eventType: "payment_intent.succeeded",
                        eventCreated: t0.addingTimeInterval(Double(step)),
                        receivedAt: t0,
                        body: Data("pi_\(payment)".utf8)
                    )
                    let id = try #require(try await first.append(delivery).storedID)
                    if step == 0 { earlier.append(id) }
                }
            }
            let unprepared = try await first.unprepared(limit: 100)
            try await first.applyPreparations(
                unprepared.map { record in
                    let key = String(decoding: record.received.body, as: UTF8.self)
                    return PreparedDelivery(
                        id: record.id,
                        preparation: .forward(OutboundPlan(messages: [], orderingKey: key))
                    )
                },
                now: t0
            )
            let claimed = try await withThrowingTaskGroup(of: [DeliveryID].self) { group in
                for claimer in 0..<8 {
                    let store = claimer.isMultiple(of: 2) ? first : second
                    group.addTask {
                        var mine: [DeliveryID] = []
                        for _ in 0..<5 {
                            mine += try await store.claimDue(now: t0, leaseDuration: lease, limit: 2).map(\.record.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == Set(claimed).count, "a delivery leased twice")
            #expect(
                Set(claimed).isSubset(of: Set(earlier)),
                "a later delivery of a payment leased with the earlier one"
            )
            #expect(try await second.countByState()[.delivering] == claimed.count)
        }
    }

    /// Two replicas preparing the same deliveries at once with different decisions: each delivery takes one of
    /// them, whole, and its fact is claimed once.
    @Test func concurrentPreparationsOfTheSameDeliveryApplyOnce() async throws {
        try await withTwoReplicas { first, second in
            for n in 0..<20 { _ = try await first.append(sampleDelivery(eventID: "evt_\(n)")) }
            let seen = try await first.unprepared(limit: 100)
            func decisions(_ label: String) -> [PreparedDelivery] {
                seen.map { record in
                    let message = OutboundMessage(
                        contentType: "text/plain",
                        body: Data(label.utf8),
                        factKey: "fact:\(record.received.eventID)"
                    )
                    return PreparedDelivery(
                        id: record.id,
                        preparation: .forward(OutboundPlan(messages: [message], catalogType: label))
                    )
                }
            }
            async let onFirst: Void = first.applyPreparations(decisions("first"), now: t0)
            async let onSecond: Void = second.applyPreparations(decisions("second"), now: t0)
            _ = try await (onFirst, onSecond)
            let leases = try await first.claimDue(now: t0, leaseDuration: lease, limit: 100)
            #expect(leases.count == 20)
            for lease in leases {
                let label = try #require(lease.record.catalogType)
                #expect(lease.messages.map { String(decoding: $0.body, as: UTF8.self) } == [label])
            }
        }
    }

    /// Two replicas preparing different deliveries of the same facts at once, in opposite orders, ten times over:
    /// each fact is forwarded by one delivery, and the other is skipped as its duplicate.
    @Test func aFactPreparedOnTwoReplicasAtOnceIsForwardedOnce() async throws {
        try await withTwoReplicas { first, second in
            func decisions(_ records: [DeliveryRecord]) -> [PreparedDelivery] {
                records.map { record in
                    let fact = "fact:" + record.received.eventID.dropFirst("evt_a".count)
                    let message = OutboundMessage(contentType: "text/plain", body: Data(fact.utf8), factKey: fact)
                    return PreparedDelivery(id: record.id, preparation: .forward(OutboundPlan(messages: [message])))
                }
            }
            for round in 0..<10 {
                for n in 0..<20 {
                    _ = try await first.append(sampleDelivery(eventID: "evt_a\(round)_\(n)"))
                    _ = try await second.append(sampleDelivery(eventID: "evt_b\(round)_\(n)"))
                }
                let records = try await first.unprepared(limit: 100)
                let ofFirst = records.filter { $0.received.eventID.hasPrefix("evt_a") }
                let ofSecond = records.filter { $0.received.eventID.hasPrefix("evt_b") }.reversed()
                #expect(ofFirst.count == 20 && ofSecond.count == 20)
                async let onFirst: Void = first.applyPreparations(decisions(ofFirst), now: t0)
                async let onSecond: Void = second.applyPreparations(decisions(Array(ofSecond)), now: t0)
                _ = try await (onFirst, onSecond)
            }
            let leases = try await first.claimDue(now: t0, leaseDuration: lease, limit: 1000)
            let facts = leases.map { String(decoding: $0.messages[0].body, as: UTF8.self) }
            #expect(leases.count == 200 && Set(facts).count == 200, "\(leases.count) leased")
            let skipped = try await first.countByState()[.skipped]
            #expect(skipped == 200)
        }
    }

    /// A page another replica is preparing (its deliveries' preparation locks held, here by a connection of the
    /// test's own) is left to it at once, not waited for: the next page read is new work; the claim that
    /// follows waits for that replica, and the deliveries it never prepared come back in the pages after.
    @Test func aPageAReplicaIsPreparingIsLeftToIt() async throws {
        try await withTemporaryDirectory { directory in
            try await StoreBackend.postgres.withRunningStore(in: directory) { store in
                for n in 0..<6 { _ = try await store.append(sampleDelivery(eventID: "evt_\(n)")) }
                let page = try await store.unprepared(limit: 3)
                let url = try PostgresConnectionURL(parsing: try PostgresTestServer.databaseURL(for: directory))
                let replica = try PostgresBlockingConnection.open(url, readOnly: false, logger: Logger(label: "test"))
                defer { replica.close() }
                let lockClass = PostgresDeliveryStore.preparationLockClass
                for record in page {
                    try replica.run("SELECT pg_advisory_lock(\(lockClass), \(Int32(record.id.rawValue)))")
                }
                let decisions = page.map { PreparedDelivery(id: $0.id, preparation: .skip(reason: "test")) }
                // Waiting here would hold until the store's 5 s limit and fail: the locks are not released yet.
                try await store.applyPreparations(decisions, now: t0)
                #expect((try await store.countByState()[.skipped] ?? 0) == 0)
                let next = try await store.unprepared(limit: 10)
                #expect(Set(next.map(\.id)).isDisjoint(with: page.map(\.id)) && next.count == 3)

                try replica.run("SELECT pg_advisory_unlock_all()")
                #expect(try await store.claimDue(now: t0, leaseDuration: lease, limit: 10).isEmpty)
                #expect(Set(try await store.unprepared(limit: 10).map(\.id)) == Set((page + next).map(\.id)))
            }
        }
    }
}
