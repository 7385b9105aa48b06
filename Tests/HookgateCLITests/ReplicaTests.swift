import Foundation
import Glibc
import HookgateTestSupport
import Synchronization
import Testing

/// Three real `hookgate serve` replicas on one PostgreSQL database (a cluster of the test's own), one
/// `hookgate sink`: dedup, per-payment order and delivery hold across them, through a replica's SIGKILL and a
/// PostgreSQL outage.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(4)))
struct ReplicaTests {
    /// The same signed event posted to all three replicas at once, 100 times over: each time exactly one
    /// replica stores it, the others answer `"duplicate":true`, and the sink receives it exactly once.
    @Test func oneEventPostedToEveryReplicaAtOnceIsStoredAndForwardedOnce() async throws {
        let scenario = try ReplicaScenario()
        let sink = try scenario.startSink()
        let events = try scenario.events("payment_intent.succeeded", count: 100)
        var storedBy = [0, 0, 0]
        for (round, event) in events.enumerated() {
            // Three curl processes started together, one per replica, the first started taking turns.
            let replicas = (0..<3).map { ($0 + round) % 3 }
            let three = try scenario.post(replicas.map { (event.body, $0) }, parallel: 3)
            #expect(three.allSatisfy { $0.status == 200 }, "\(event.id): \(three.map(\.status))")
            #expect(three.filter(\.isStoredNow).count == 1, "\(event.id): \(three.map(\.body))")
            #expect(three.filter(\.isDuplicate).count == 2, "\(event.id): \(three.map(\.body))")
            if let index = three.firstIndex(where: \.isStoredNow) { storedBy[replicas[index]] += 1 }
        }
        #expect(try scenario.cluster.count("SELECT count(*) FROM delivery") == 100)
        let records = try sink.waitForRecords(100)
        // Anything forwarded twice would arrive within the next attempts; give it the time of a few.
        try await Task.sleep(for: .seconds(1))
        let ids = sink.records.compactMap { $0.attribute("id") }
        #expect(ids.count == 100, "the sink received \(ids.count) requests for 100 events")
        #expect(Set(ids) == Set(events.map(\.id)))
        #expect(records.allSatisfy { $0.acknowledged })
        print("3 replicas, 100 events posted to each at once: stored by replica \(storedBy), \(ids.count) forwards")
    }

    /// Four events of each of three payments, sent round-robin across the replicas in a scrambled order while
    /// the payment system is away: once it is there, each payment's events arrive one at a time in `created`
    /// order, whichever replica stored or forwards them.
    @Test func onePaymentsEventsSentRoundRobinArriveInCreatedOrder() async throws {
        let scenario = try ReplicaScenario()
        let created = Int64(Date().timeIntervalSince1970) - 100
        let (events, sendingOrder) = DeliveryScenario.paymentLifecycle(createdFrom: created)
        var expected: [String: [String]] = [:]
        var replica = 0
        for payment in ["pi_rrA", "pi_rrB", "pi_rrC"] {
            var ids = [String](repeating: "", count: events.count)
            for index in sendingOrder {
                let result = try scenario.send(
                    [events[index].type, "--payment-id", payment, "--set", "created=\(events[index].created)"],
                    to: replica % 3
                )
                #expect(result.status == 0, "\(result.output)")
                ids[index] = String(try #require(result.stdout.firstMatch(of: /"id":"(evt_\w+)"/)).1)
                replica += 1
            }
            expected[payment] = ids
        }
        // Without a socket, each payment's first event is tried (and only it: the others wait their turn).
        try await Task.sleep(for: .seconds(2))
        let sink = try scenario.startSink()
        let records = try sink.waitForRecords(12)
        try await Task.sleep(for: .milliseconds(500))
        let arrived = sink.records.filter(\.acknowledged).compactMap { $0.attribute("id") }
        #expect(arrived.count == 12, "\(records.count) records")
        for (payment, ids) in expected {
            #expect(arrived.filter { ids.contains($0) } == ids, "\(payment)")
        }
    }

    /// Load spread over the three while one is killed with SIGKILL: every stored event reaches the sink (the
    /// killed replica's leases expire and the others deliver them), every acknowledged event is stored, and the
    /// sink sees at most as many duplicates as the killed replica had leased.
    @Test func aReplicaKilledUnderLoadLeavesNothingStranded() async throws {
        let scenario = try ReplicaScenario(timeoutMilliseconds: 2000)
        let sink = try scenario.startSink(["--delay", "100ms"])
        let senders = try (0..<3).map { replica in
            try scenario.startSending(
                ["payment_intent.succeeded", "--count", "200", "--concurrency", "4"],
                to: replica
            )
        }
        _ = try sink.waitForRecords(30)
        let victim = scenario.pid(of: 0)
        let leasedByVictim =
            "SELECT count(*) FROM delivery WHERE state = 'delivering' AND lease_token LIKE '%/\(victim)/%'"
        // The victim is frozen (SIGSTOP) while its leases are counted, and killed only while it holds some: a
        // lease seen running could be completed before a kill that follows the count (it was, under load).
        // Nobody else may take a lease before it expires, so what the killed replica held is counted exactly.
        var leased = 0
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            scenario.signal(0, SIGSTOP)
            leased = try scenario.cluster.count(leasedByVictim)
            if leased > 0 { break }
            scenario.signal(0, SIGCONT)
            usleep(10_000)
        }
        try scenario.kill(0)
        #expect(leased > 0, "the killed replica held no lease within 20 s")

        var acknowledged = 0
        for sender in senders {
            _ = try sender.waitForExit(timeout: 60)
            // Its output is read as it comes: the summary may arrive just after the exit.
            let deadline = Date().addingTimeInterval(5)
            while !sender.stdout.contains("2xx "), Date() < deadline { usleep(1_000) }
            let summary = sender.stdout.firstMatch(of: /2xx (\d+)/)
            acknowledged += summary.flatMap { Int($0.1) } ?? 0
        }
        let stored = try scenario.cluster.count("SELECT count(*) FROM delivery")
        #expect(stored >= acknowledged, "\(acknowledged) acknowledged, \(stored) stored")
        #expect(acknowledged >= 400, "the two surviving replicas acknowledged everything sent to them")

        // The leases expire after timeout_ms + 30 s; then the survivors claim them again.
        let undelivered = "SELECT count(*) FROM delivery WHERE state <> 'delivered'"
        let settled = Date().addingTimeInterval(90)
        while try scenario.cluster.count(undelivered) > 0, Date() < settled {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(try scenario.cluster.count(undelivered) == 0)
        try await Task.sleep(for: .milliseconds(500))
        let storedIDs = Set(try scenario.cluster.query("SELECT event_id FROM delivery"))
        var received: [String: Int] = [:]
        for record in sink.records where record.acknowledged {
            if let id = record.attribute("id") { received[id, default: 0] += 1 }
        }
        let duplicates = received.values.reduce(0) { $0 + $1 - 1 }
        #expect(Set(received.keys) == storedIDs, "every stored event reached the sink")
        #expect(duplicates <= leased, "\(duplicates) duplicates, \(leased) leased by the killed replica")
        print(
            "SIGKILL of 1 of 3 replicas under load: \(acknowledged) acknowledged, \(stored) stored, \(leased) leased "
                + "by the killed replica, \(duplicates) duplicates at the sink, all \(storedIDs.count) delivered"
        )
    }

    /// PostgreSQL stopped for 10 s under load and started again: no 200 that is not stored (the others are
    /// `503 store_unavailable`), and everything stored is delivered after, without restarting a replica.
    @Test func aPostgreSQLOutageUnderLoadLosesNothing() async throws {
        let scenario = try ReplicaScenario()
        let sink = try scenario.startSink()
        let outage = Outage(scenario.cluster)
        var answers: [(id: String, answer: ReplicaScenario.Answer)] = []
        var round = 0
        outage.begin(after: 1, lasting: 10)
        // Rounds of 30 events over the three replicas, until one round after PostgreSQL is back.
        while true {
            let wasOver = outage.isOver
            let events = try scenario.events("payment_intent.succeeded", count: 30)
            let posted = try scenario.post(events.enumerated().map { ($0.element.body, ($0.offset + round) % 3) })
            answers += zip(events.map(\.id), posted).map { ($0, $1) }
            round += 1
            if wasOver { break }
        }
        try outage.wait()

        let acknowledged = answers.filter { $0.answer.status == 200 }.map(\.id)
        let unavailable = answers.filter { $0.answer.body.contains(#""error":"store_unavailable""#) }
        let other = answers.filter { $0.answer.status != 200 && !$0.answer.body.contains("store_unavailable") }
        #expect(!unavailable.isEmpty, "no request met the outage")
        #expect(other.isEmpty, "answers neither 200 nor 503 store_unavailable: \(other.prefix(3).map(\.answer.body))")
        let stored = Set(try scenario.cluster.query("SELECT event_id FROM delivery"))
        let lost = acknowledged.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) events answered 200 are not stored")

        let undelivered = "SELECT count(*) FROM delivery WHERE state <> 'delivered'"
        let settled = Date().addingTimeInterval(60)
        while try scenario.cluster.count(undelivered) > 0, Date() < settled {
            try await Task.sleep(for: .milliseconds(200))
        }
        let leftover = try scenario.cluster.query(
            "SELECT state, prepared_at_ms IS NOT NULL, attempt_count, last_error, count(*) FROM delivery "
                + "WHERE state <> 'delivered' GROUP BY 1, 2, 3, 4"
        )
        #expect(leftover.isEmpty, "not delivered (state|prepared|attempts|last error|count): \(leftover)")
        try await Task.sleep(for: .milliseconds(500))
        let received = Set(sink.records.filter(\.acknowledged).compactMap { $0.attribute("id") })
        #expect(received == stored, "every stored event reached the sink")
        print(
            "PostgreSQL stopped 10 s under load: \(answers.count) posted in \(round) rounds, \(acknowledged.count) "
                + "answered 200 (all stored), \(unavailable.count) answered 503 store_unavailable, \(stored.count) "
                + "stored, all delivered after"
        )
    }
}

/// Stops a cluster for a while on a thread of its own, while the test posts.
private final class Outage: Sendable {
    private let cluster: PostgresCluster
    private let state = Mutex<(over: Bool, error: (any Error)?)>((false, nil))

    init(_ cluster: PostgresCluster) {
        self.cluster = cluster
    }

    func begin(after delay: TimeInterval, lasting duration: TimeInterval) {
        Thread {
            Thread.sleep(forTimeInterval: delay)
            do {
                try self.cluster.pause()
                Thread.sleep(forTimeInterval: duration)
                try self.cluster.resume()
            } catch {
                self.state.withLock { $0.error = error }
            }
            self.state.withLock { $0.over = true }
        }.start()
    }

    var isOver: Bool { self.state.withLock { $0.over } }

    /// Waits (at most 3 minutes: pausing and resuming are bounded) until the outage is over; throws what
    /// pausing or resuming threw.
    func wait() throws {
        let deadline = Date().addingTimeInterval(180)
        while !self.isOver, Date() < deadline { usleep(10_000) }
        guard self.isOver else { throw GatewayProcessError(message: "the outage did not end within 3 minutes") }
        if let error = self.state.withLock({ $0.error }) { throw error }
    }
}
