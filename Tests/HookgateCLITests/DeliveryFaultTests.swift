import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// The delivery worker against a payment system that is away, fails, refuses, throttles, and a gateway killed
/// mid-delivery: real `hookgate serve`, real `hookgate sink` on a real Unix socket, the store read beside them.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(3)))
struct DeliveryFaultTests {
    /// The socket is missing for 2 s, then the sink starts: every delivery arrives, each payment's events in
    /// `created` order although they were sent in another.
    @Test func aMissingSocketDelaysDeliveryInPerPaymentOrder() async throws {
        let scenario = try DeliveryScenario()
        let created = Int64(Date().timeIntervalSince1970) - 100
        // Per payment, by `created`: a failure, the success, two refunds (see the known issue below).
        let (events, sendingOrder) = DeliveryScenario.paymentLifecycle(createdFrom: created)
        var expected: [String: [String]] = [:]
        for payment in ["pi_orderA", "pi_orderB"] {
            var ids = [String](repeating: "", count: events.count)
            for index in sendingOrder {
                ids[index] = try self.send(
                    events[index].type,
                    payment: payment,
                    created: events[index].created,
                    to: scenario
                )
            }
            expected[payment] = ids
        }

        // Two seconds without a socket: a payment's first event is tried and finds none; then the worker
        // pauses its claims (one attempt per delivery in flight, not a backoff schedule) until the socket is back.
        try await Task.sleep(for: .seconds(2))
        let store = try scenario.openStore()
        let waiting = try await store.all()
        let tried = waiting.filter { $0.attemptCount > 0 }
        #expect(waiting.count == 8 && waiting.allSatisfy { !$0.state.isFinal }, "\(waiting.map(\.state))")
        #expect(!tried.isEmpty && Set(tried.compactMap(\.orderingKey)).isSubset(of: ["pi_orderA", "pi_orderB"]))
        #expect(tried.allSatisfy { $0.lastError == "socket missing (ENOENT)" && $0.attemptCount == 1 })

        let sink = try scenario.startSink()
        let delivered = try await store.waitUntilAll(8) { $0.state == .delivered }
        await store.close()
        let records = try sink.waitForRecords(8)
        #expect(records.count == 8)
        #expect(records.allSatisfy { $0.acknowledged })
        for (payment, ids) in expected {
            #expect(self.arrivals(of: payment, in: records, delivered: delivered) == ids, "\(payment)")
        }
        print("missing socket: \(tried.map(\.attemptCount).reduce(0, +)) failed attempts before the sink started")
    }

    /// The rule: a `payment-failed` that arrives after its payment's `payment-succeeded` is not
    /// forwarded, even when it was created earlier and the success is not forwarded yet (no socket): the
    /// failure is `skipped` as superseded, and only the success reaches the payment system.
    @Test func aFailureArrivingAfterItsSuccessIsSuperseded() async throws {
        let scenario = try DeliveryScenario()
        let created = Int64(Date().timeIntervalSince1970) - 100
        let succeeded = try self.send(
            "payment_intent.succeeded",
            payment: "pi_late",
            created: created + 1,
            to: scenario
        )
        _ = try self.send("payment_intent.payment_failed", payment: "pi_late", created: created, to: scenario)
        try await Task.sleep(for: .seconds(1))
        let sink = try scenario.startSink()
        let store = try scenario.openStore()
        let finished = try await store.waitUntilAll(2) { $0.state.isFinal }
        await store.close()
        _ = try sink.waitForRecords(1)
        try await Task.sleep(for: .milliseconds(500))
        let skipped = try #require(finished.first { $0.state == .skipped }, "\(finished.map(\.state))")
        #expect(skipped.skipReason?.hasPrefix("superseded: payment-succeeded:pi_late arrived first") == true)
        #expect(finished.filter { $0.state == .delivered }.count == 1)
        #expect(self.arrivals(of: "pi_late", in: sink.records, delivered: finished) == [succeeded])
    }

    /// 500, then 200: delivered on the second attempt, both attempts recorded.
    @Test func aServerErrorIsRetried() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink(["--fail-first", "1"])
        #expect(try scenario.send(["payment_intent.succeeded"]).status == 0)
        let store = try scenario.openStore()
        let finished = try await store.waitUntilAll(1) { $0.state.isFinal }
        let record = try #require(finished.first)
        let detail = try #require(try await store.delivery(record.id))
        await store.close()
        #expect(record.state == .delivered)
        #expect(record.attemptCount == 2)
        #expect(detail.attempts.map(\.report.upstreamStatus) == [500, 200])
        #expect(detail.attempts.first?.report.error == "upstream status 500")
        let arrivals = try sink.waitForRecords(2)
        #expect(arrivals.map(\.attempt) == [1, 2])
        #expect(arrivals.map(\.status) == [500, 200])
        #expect(Set(arrivals.map(\.deliveryID)) == [record.id.rawValue])
    }

    /// 400: the payment system refuses the event; it is dead after one attempt and not tried again.
    @Test func aClientErrorIsDeadAtOnce() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink(["--status", "400"])
        #expect(try scenario.send(["payment_intent.payment_failed"]).status == 0)
        let store = try scenario.openStore()
        let finished = try await store.waitUntilAll(1) { $0.state.isFinal }
        let record = try #require(finished.first)
        // Longer than the longest backoff (cap_seconds 1): a retry would show.
        try await Task.sleep(for: .milliseconds(1500))
        let detail = try #require(try await store.delivery(record.id))
        await store.close()
        #expect(detail.record.state == .dead)
        #expect(detail.attempts.map(\.report.upstreamStatus) == [400])
        #expect(sink.records.map(\.status) == [400])
    }

    /// 503 with `Retry-After: 2`: the second attempt comes no earlier than 2 s after the first (the backoff
    /// alone would retry within 100 ms).
    @Test func retryAfterIsHonoured() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink(["--fail-first", "1", "--fail-status", "503", "--retry-after", "2"])
        #expect(try scenario.send(["refund.updated"]).status == 0)
        let arrivals = try sink.waitForRecords(2)
        #expect(arrivals.map(\.status) == [503, 200])
        let gap = arrivals[1].receivedAtMilliseconds - arrivals[0].receivedAtMilliseconds
        #expect(gap >= 2000, "second attempt \(gap) ms after the first")
        let store = try scenario.openStore()
        let delivered = try await store.waitUntilAll(1) { $0.state == .delivered }
        let record = try #require(delivered.first)
        let attempts = try #require(try await store.delivery(record.id)).attempts
        await store.close()
        #expect(attempts.map(\.report.upstreamStatus) == [503, 200])
        if attempts.count == 2 {
            #expect(attempts[1].report.startedAt.timeIntervalSince(attempts[0].report.startedAt) >= 2)
        }
        print("Retry-After 2: second attempt \(gap) ms after the first")
    }

    /// SIGKILL while forwards are in flight, then a restart on the same data directory: every stored
    /// delivery is delivered, and the sink sees at most as many duplicates as were `delivering` at the kill.
    @Test func aKilledGatewayDeliversEverythingAfterARestart() async throws {
        let count = 300
        let scenario = try DeliveryScenario(timeoutMilliseconds: 2000)
        let sink = try scenario.startSink(["--delay", "200ms"])
        let sent = try scenario.send(["payment_intent.succeeded", "--count", "\(count)", "--concurrency", "8"])
        #expect(sent.status == 0, "\(sent.output)")
        _ = try sink.waitForRecords(50)
        // Kill while forwards are leased: under load the worker can be between claims at any given moment, and
        // a lease seen running may be completed before a kill that follows. So the gateway is frozen (SIGSTOP)
        // while its leases are counted, and killed only while it holds some.
        let beside = try SQLiteDeliveryReader(path: scenario.storePath)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            scenario.gateway.send(SIGSTOP)
            if (try await beside.countByState()[.delivering] ?? 0) > 0 { break }
            scenario.gateway.send(SIGCONT)
            try await Task.sleep(for: .milliseconds(10))
        }
        try scenario.killGateway()

        let store = try scenario.openStore()
        let atKill = try await store.countByState()
        let inFlight = atKill[.delivering] ?? 0
        let deliveredAtKill = atKill[.delivered] ?? 0
        #expect(atKill.values.reduce(0, +) == count, "every acknowledged event is stored")
        #expect(inFlight > 0, "nothing was in flight at the kill: \(atKill)")
        #expect(deliveredAtKill < count)

        try scenario.restartGateway()
        // The killed gateway's leases expire after timeout_ms + 30 s; then they are claimed again.
        let delivered = try await store.waitUntilAll(count, timeout: 90) { $0.state == .delivered }
        await store.close()
        let arrivals = sink.records.filter(\.acknowledged)
        var timesReceived: [Int64: Int] = [:]
        for arrival in arrivals { timesReceived[arrival.deliveryID, default: 0] += 1 }
        let duplicates = timesReceived.values.reduce(0) { $0 + $1 - 1 }
        print(
            "SIGKILL mid-delivery: \(count) stored, \(deliveredAtKill) delivered and \(inFlight) delivering at the "
                + "kill; \(duplicates) duplicates at the sink after the restart"
        )
        #expect(Set(timesReceived.keys) == Set(delivered.map(\.id.rawValue)), "every delivery reached the sink")
        #expect(duplicates <= inFlight)
    }

    /// Sends a `type` event about `payment` created at `created`; returns its event id.
    private func send(_ type: String, payment: String, created: Int64, to scenario: DeliveryScenario) throws -> String {
        let result = try scenario.send([type, "--payment-id", payment, "--set", "created=\(created)"])
        #expect(result.status == 0, "\(result.output)")
        return String(try #require(result.stdout.firstMatch(of: /"id":"(evt_\w+)"/)).1)
    }

    /// The event ids the sink acknowledged for `payment`'s deliveries, in arrival order.
    private func arrivals(of payment: String, in records: [SinkRecord], delivered: [DeliveryRecord]) -> [String] {
        let deliveries = Set(delivered.filter { $0.orderingKey == payment }.map(\.id.rawValue))
        return records.filter { $0.acknowledged && deliveries.contains($0.deliveryID) }.compactMap {
            $0.attribute("id")
        }
    }
}
