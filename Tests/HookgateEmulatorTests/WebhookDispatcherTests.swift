import AsyncHTTPClient
import HookgateCore
import HookgateEmulator
import Synchronization
import Testing

/// The emulator's webhooks over real sockets: signed, retried on the scaled schedule, misbehaving on request
/// (duplicates, drops) with the outcome recorded for the Events API.
@Suite(.timeLimit(.minutes(1)))
struct WebhookDispatcherTests {
    static let secret = "whsec_hookgateEmulatorWebhookTests"

    /// Runs a dispatcher for `client`'s API to `receiver` while `body` runs; collects its reports.
    private func dispatching(
        _ client: EmulatorTestClient,
        to receiver: WebhookReceiver,
        thin: Bool = false,
        faults: NetworkFaults = NetworkFaults(seed: 7),
        timeout: Duration = .seconds(5),
        _ body: (_ reports: @Sendable () -> [DeliveryAttempt]) async throws -> Void
    ) async throws -> [DeliveryAttempt] {
        let key = try StripeSignatureScheme().makeKey(Secret(Self.secret), label: "test")
        let reports = Reports()
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
        let dispatcher = WebhookDispatcher(
            api: client.api,
            client: http,
            configuration: .init(
                url: receiver.url,
                keys: [key],
                thin: thin,
                faults: faults,
                schedule: RetrySchedule(secondsPerHour: 0.02),
                timeout: timeout
            ),
            now: { client.now },
            report: { attempt in reports.attempts.withLock { $0.append(attempt) } }
        )
        let task = Task { await dispatcher.run() }
        try await body { reports.attempts.withLock { $0 } }
        client.api.finish()
        await task.value
        try await http.shutdown()
        return reports.attempts.withLock { $0 }
    }

    private final class Reports: Sendable {
        let attempts = Mutex<[DeliveryAttempt]>([])
    }

    /// Each event arrives once, signed with the secret at the API's time, as the snapshot event the Events API
    /// lists, from a user agent that is not Stripe's; then it counts as delivered.
    @Test func eventsArriveSignedAndCountAsDelivered() async throws {
        let client = EmulatorTestClient(forwards: true)
        let receiver = try WebhookReceiver()
        _ = try await self.dispatching(client, to: receiver) { _ in
            _ = try client.pay()
            _ = try await receiver.waitFor(3)
        }
        try await receiver.stop()
        let received = receiver.received
        #expect(received.count == 3)
        let keyring = try Keyring(
            scheme: StripeSignatureScheme(),
            secrets: [LabelledSecret(label: "test", secret: Secret(Self.secret))]
        )
        for request in received {
            var headers = SignatureHeaders()
            headers.add(name: "stripe-signature", value: try #require(request.signature))
            #expect(request.signature?.hasPrefix("t=\(client.now),v1=") == true)
            _ = try request.body.withUnsafeBytes { body in
                try StripeSignatureScheme().verify(
                    body: body,
                    headers: headers,
                    keyring: keyring,
                    tolerance: .standard,
                    now: client.now
                )
            }
            #expect(request.userAgent == "Hookgate-Emulator (not Stripe)")
        }
        let types = try received.map { try JSONValueParser.parse($0.body)["type"] }
        #expect(
            types == ["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"].map(JSONValue.string)
        )
        let delivered = try client.get("/v1/events", [("delivery_success", "true")])
        guard case .array(let events)? = delivered.json["data"] else { return }
        #expect(events.count == 3)
    }

    /// A 500 is retried on the scaled schedule until a 2xx.
    @Test func failuresAreRetriedOnTheSchedule() async throws {
        let client = EmulatorTestClient(forwards: true)
        let receiver = try WebhookReceiver(failFirst: 2)
        let reports = try await self.dispatching(client, to: receiver) { _ in
            _ = try client.post("/v1/payment_intents", [("amount", "100"), ("currency", "usd")])
            _ = try await receiver.waitFor(3)
            try await Task.sleep(for: .milliseconds(50))
        }
        try await receiver.stop()
        #expect(reports.map(\.attempt) == [1, 2, 3])
        #expect(reports.map(\.result) == ["500", "500", "200"])
        #expect(reports.last?.outcome == .delivered)
        #expect(reports.first?.outcome == .retrying(after: .milliseconds(20)))
    }

    /// A receiver that answers a head and never the body it announces: the attempt ends at the timeout and is
    /// retried (the client's own deadline ends with the head; a body never finished held the dispatcher for good).
    @Test func anAnswerWhoseBodyNeverComesEndsAtTheTimeout() async throws {
        let client = EmulatorTestClient(forwards: true)
        let receiver = try WebhookReceiver(stallFirst: 1)
        let reports = try await self.dispatching(client, to: receiver, timeout: .seconds(1)) { reports in
            _ = try client.post("/v1/payment_intents", [("amount", "100"), ("currency", "usd")])
            let deadline = ContinuousClock.now + .seconds(20)
            while reports().last?.outcome != .delivered, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        try await receiver.stop()
        #expect(reports.map(\.attempt) == [1, 2], "\(reports.map(\.result))")
        #expect(reports.first.map { $0.result != "200" } == true)
        #expect(reports.last?.outcome == .delivered)
    }

    /// `--drop 1`: nothing is sent, every event is `delivery_success=false`; `--duplicate 1`: each twice.
    @Test func droppedEventsStayUndeliveredAndDuplicatesArriveTwice() async throws {
        let dropping = EmulatorTestClient(forwards: true)
        let receiver = try WebhookReceiver()
        let dropped = try await self.dispatching(dropping, to: receiver, faults: NetworkFaults(drop: 1, seed: 1)) {
            reports in
            _ = try dropping.pay()
            while reports().count < 3 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(dropped.allSatisfy { $0.outcome == .dropped } && dropped.count == 3)
        #expect(receiver.received.isEmpty)
        guard
            case .array(let undelivered)? = try dropping.get("/v1/events", [("delivery_success", "false")]).json["data"]
        else { return }
        #expect(undelivered.count == 3)

        let duplicating = EmulatorTestClient(forwards: true)
        _ = try await self.dispatching(duplicating, to: receiver, faults: NetworkFaults(duplicate: 1, seed: 1)) { _ in
            _ = try duplicating.pay()
            _ = try await receiver.waitFor(6)
        }
        try await receiver.stop()
        let ids = try receiver.received.map { try JSONValueParser.parse($0.body)["id"] }
        #expect(ids.count == 6 && Set(ids).count == 3)
    }

    /// `--thin` sends thin events whose related object the API serves.
    @Test func thinEventsPointAtTheirObject() async throws {
        let client = EmulatorTestClient(forwards: true)
        let receiver = try WebhookReceiver()
        _ = try await self.dispatching(client, to: receiver, thin: true) { _ in
            _ = try client.pay()
            _ = try await receiver.waitFor(3)
        }
        try await receiver.stop()
        let last = try JSONValueParser.parse(try #require(receiver.received.last).body)
        #expect(last["object"] == .string("v2.core.event"))
        #expect(last["type"] == .string("v1.payment_intent.succeeded"))
        guard case .string(let url)? = last["related_object"]?["url"], case .string(let id)? = last["id"] else {
            return
        }
        #expect(try client.get(url).string("status") == "succeeded")
        #expect(try client.get("/v2/core/events/\(id)").json == last)
    }

    /// The same seed plans the same sends; reordering keeps every send.
    @Test func theSeedMakesThePlanRepeatable() {
        let faults = NetworkFaults(duplicate: 0.5, reorder: true, delayMilliseconds: 100, drop: 0.2, seed: 42)
        let ids = (0..<50).map { "evt_\($0)" }
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let one = faults.plan(ids, using: &first)
        let two = faults.plan(ids, using: &second)
        #expect(one.sends == two.sends && one.dropped == two.dropped)
        #expect(Set(one.sends.map(\.eventID)).union(one.dropped) == Set(ids))
        #expect(
            one.sends.map(\.eventID)
                != one.sends.map(\.eventID).sorted { Int($0.dropFirst(4))! < Int($1.dropFirst(4))! }
        )
    }
}
