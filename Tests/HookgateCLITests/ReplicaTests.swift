import Foundation
import Glibc
import HookgateTestSupport
import NIOConcurrencyHelpers
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
    /// `503 store_unavailable`), and everything stored is delivered after, without restarting a replica. A
    /// probe posted once the server is down (it stays down until the probe is answered) gets 503 from every
    /// replica, within the store's 5 s limit, instead of waiting for PostgreSQL to return.
    @Test func aPostgreSQLOutageUnderLoadLosesNothing() async throws {
        let scenario = try ReplicaScenario()
        let sink = try scenario.startSink()
        let load = BackgroundLoad(scenario)
        load.start()
        defer { load.stop() }
        try load.waitForRounds(1)
        try scenario.cluster.pause()
        let pausedAt = Date()
        let probe = try scenario.events("payment_intent.succeeded", count: 6)
        let probeAnswers = try scenario.post(probe.enumerated().map { ($0.element.body, $0.offset % 3) })
        #expect(
            probeAnswers.allSatisfy { $0.status == 503 && $0.body.contains(#""error":"store_unavailable""#) },
            "answers while PostgreSQL is down: \(probeAnswers.map(\.status))"
        )
        let rest = 10 - Date().timeIntervalSince(pausedAt)
        if rest > 0 { try await Task.sleep(for: .seconds(rest)) }
        try scenario.cluster.resume()
        // One round more, begun after the server is back.
        try load.waitForRounds(load.roundsBegun + 1)
        load.stop()
        let answers = try load.answers() + zip(probe.map(\.id), probeAnswers).map { ($0, $1) }

        let acknowledged = answers.filter { $0.answer.status == 200 }.map(\.id)
        let unavailable = answers.filter { $0.answer.body.contains(#""error":"store_unavailable""#) }
        let other = answers.filter { $0.answer.status != 200 && !$0.answer.body.contains("store_unavailable") }
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
            "PostgreSQL stopped 10 s under load: \(answers.count) posted in \(load.roundsBegun) rounds and a probe, "
                + "\(acknowledged.count) answered 200 (all stored), \(unavailable.count) answered 503 store_unavailable "
                + "(the probe's \(probeAnswers.count) among them), \(stored.count) stored, all delivered after"
        )
    }
}

/// Rounds of 30 events posted over the three replicas, one after the other on a thread of its own, until
/// stopped.
private final class BackgroundLoad: Sendable {
    private struct State {
        var begun = 0
        var finished = 0
        var stopping = false
        var answers: [(id: String, answer: ReplicaScenario.Answer)] = []
        var error: (any Error)?
        var isRunning = false
    }

    private let scenario: ReplicaScenario
    private let state = NIOLockedValueBox(State())

    init(_ scenario: ReplicaScenario) {
        self.scenario = scenario
    }

    func start() {
        state.withLockedValue { $0.isRunning = true }
        Thread {
            while true {
                let round = self.state.withLockedValue { state -> Int? in
                    guard !state.stopping, state.error == nil else { return nil }
                    state.begun += 1
                    return state.begun
                }
                guard let round else { break }
                do {
                    let events = try self.scenario.events("payment_intent.succeeded", count: 30)
                    let posted = try self.scenario.post(
                        events.enumerated().map { ($0.element.body, ($0.offset + round) % 3) }
                    )
                    self.state.withLockedValue { state in
                        state.answers += zip(events.map(\.id), posted).map { ($0, $1) }
                        state.finished += 1
                    }
                } catch {
                    self.state.withLockedValue { $0.error = error }
                }
            }
            self.state.withLockedValue { $0.isRunning = false }
        }.start()
    }

    /// How many rounds have begun.
    var roundsBegun: Int { state.withLockedValue { $0.begun } }

    /// Waits (at most 2 minutes: each round's posts are bounded) until `count` rounds have finished; throws
    /// what posting threw.
    func waitForRounds(_ count: Int) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let (finished, error) = state.withLockedValue { ($0.finished, $0.error) }
            if let error { throw error }
            if finished >= count { return }
            usleep(10_000)
        }
        throw GatewayProcessError(message: "\(count) rounds of posts did not finish within 2 minutes")
    }

    /// Lets the round in progress finish, and ends the thread (at most 2 minutes).
    func stop() {
        state.withLockedValue { $0.stopping = true }
        let deadline = Date().addingTimeInterval(120)
        while state.withLockedValue({ $0.isRunning }), Date() < deadline { usleep(10_000) }
    }

    /// Every answer of the finished rounds, with its event id; throws what posting threw.
    func answers() throws -> [(id: String, answer: ReplicaScenario.Answer)] {
        try state.withLockedValue { state in
            if let error = state.error { throw error }
            return state.answers
        }
    }
}
