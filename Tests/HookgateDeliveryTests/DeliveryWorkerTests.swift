import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import HookgateTestSupport
import Testing

/// The worker against a real Unix-socket listener: what it sends, and what each kind of answer does.
@Suite(.timeLimit(.minutes(1)))
struct DeliveryWorkerTests {
    /// A mapped event arrives as a CloudEvent with the delivery headers; the delivery is delivered after one attempt.
    @Test func normalizedEventArrivesOnceWithItsHeaders() async throws {
        try await WorkerHarness.run { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let id = try await harness.append(try stripeFixture("payment_intent.succeeded.json"))
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .delivered)
            #expect(detail.attempts.map(\.report.upstreamStatus) == [200])
            let requests = listener.received
            #expect(requests.count == 1)
            let request = try #require(requests.first)
            #expect(request.path == "/events")
            #expect(request.header("Content-Type") == "application/cloudevents+json")
            #expect(request.header("Hookgate-Delivery-Id") == String(id.rawValue))
            #expect(request.header("Hookgate-Attempt") == "1")
            let event = try JSONValueParser.parse([UInt8](request.body))
            #expect(event["type"] == .string("payment-succeeded"))
            #expect(event["id"] == .string("evt_WRAPPED0000000000000001"))
            #expect(detail.record.catalogType == "payment-succeeded")
        }
    }

    /// Raw mode forwards the stored body byte for byte, with its content type.
    @Test func rawModeForwardsTheBodyUntouched() async throws {
        try await WorkerHarness.run(endpoints: ["stripe": .raw]) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let body = try stripeFixture("invoice.paid.json")
            let id = try await harness.append(body)
            #expect(try await harness.waitUntilFinal(id).record.state == .delivered)
            #expect(listener.received.first?.body == body)
            #expect(listener.received.first?.header("Content-Type") == "application/json")
        }
    }

    /// With a signing secret, each forward carries a Standard Webhooks signature that verifies with that secret,
    /// and its message id stays the same across attempts.
    @Test func forwardsAreSignedWithTheGatewaysOwnSecret() async throws {
        let scheme = StandardWebhooksSignatureScheme()
        let keyring = try Keyring(
            scheme: scheme,
            secrets: [LabelledSecret(label: "gateway", secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))]
        )
        try await WorkerHarness.run(signingKeyring: keyring) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath) { _, index in
                .init(status: index == 0 ? 500 : 200)
            }
            defer { Task { await listener.close() } }
            let id = try await harness.append(try stripeFixture("payment_intent.succeeded.json"))
            #expect(try await harness.waitUntilFinal(id).record.state == .delivered)
            let requests = listener.received
            #expect(requests.count == 2)
            for request in requests {
                var headers = SignatureHeaders()
                for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
                    headers.add(name: name, value: try #require(request.header(name)))
                }
                let verified = try scheme.verify(
                    body: [UInt8](request.body),
                    headers: headers,
                    keyring: keyring,
                    tolerance: .standard,
                    now: Int64(Date().timeIntervalSince1970)
                )
                #expect(verified.keyLabel == "gateway")
            }
            #expect(Set(requests.map { $0.header("webhook-id") }).count == 1)
            var tampered = SignatureHeaders()
            for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
                tampered.add(name: name, value: try #require(requests[0].header(name)))
            }
            #expect(throws: VerificationError.self) {
                try scheme.verify(
                    body: [UInt8](requests[0].body) + [0x20],
                    headers: tampered,
                    keyring: keyring,
                    tolerance: .standard,
                    now: Int64(Date().timeIntervalSince1970)
                )
            }
        }
    }

    /// An event no catalog type maps is skipped and never sent.
    @Test func unmappedEventIsSkippedNotSent() async throws {
        try await WorkerHarness.run { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let skipped = try await harness.append(try stripeFixture("customer.created.json"))
            let sent = try await harness.append(try stripeFixture("refund.updated.json"))
            #expect(try await harness.waitUntilFinal(sent).record.state == .delivered)
            let record = try await harness.waitUntilFinal(skipped).record
            #expect(record.state == .skipped)
            #expect(record.skipReason?.contains("customer.created") == true)
            #expect(record.attemptCount == 0)
            #expect(listener.received.count == 1)
        }
    }

    /// 500 is retried with backoff; the 200 after it delivers. Both attempts are recorded.
    @Test func serverErrorIsRetriedUntilAcknowledged() async throws {
        try await WorkerHarness.run { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath) { _, index in
                .init(status: index == 0 ? 500 : 200)
            }
            defer { Task { await listener.close() } }
            let id = try await harness.append(try stripeFixture("payment_intent.succeeded.json"))
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .delivered)
            #expect(detail.attempts.map(\.report.upstreamStatus) == [500, 200])
            #expect(detail.attempts.first?.report.error == "upstream status 500")
            #expect(listener.received.map { $0.header("Hookgate-Attempt") } == ["1", "2"])
        }
    }

    /// 400 means the payment system refuses the event: dead at once, no second attempt.
    @Test func clientErrorIsDeadAtOnce() async throws {
        try await WorkerHarness.run { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath) { _, _ in .init(status: 400) }
            defer { Task { await listener.close() } }
            let id = try await harness.append(try stripeFixture("payment_intent.succeeded.json"))
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .dead)
            #expect(detail.attempts.count == 1)
            try await Task.sleep(for: .milliseconds(600))
            #expect(listener.received.count == 1)
        }
    }

    /// A 401 from the payment system is an authentication refusal, and the delivery's last error says so
    /// (it points at the gateway's upstream signing secret); like any 4xx it is dead at once.
    @Test func unauthorizedNamesTheAuthenticationRefusal() async throws {
        try await WorkerHarness.run { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath) { _, _ in .init(status: 401) }
            defer { Task { await listener.close() } }
            let id = try await harness.append(try stripeFixture("payment_intent.succeeded.json"))
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .dead)
            #expect(
                detail.record.lastError
                    == "upstream status 401: the payment system refused the gateway's authentication"
                    + " (is upstream.signing_secret the secret it verifies with?)"
            )
        }
    }

    /// 503 with `Retry-After: 2`: the next attempt comes no earlier than two seconds later.
    @Test func retryAfterIsHonoured() async throws {
        try await WorkerHarness.run { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath) { _, index in
                index == 0 ? .init(status: 503, headers: [("Retry-After", "2")]) : .init(status: 200)
            }
            defer { Task { await listener.close() } }
            let id = try await harness.append(try stripeFixture("payment_intent.succeeded.json"))
            #expect(try await harness.waitUntilFinal(id).record.state == .delivered)
            let requests = listener.received
            #expect(requests.count == 2)
            let gap = requests[1].receivedAt.timeIntervalSince(requests[0].receivedAt)
            #expect(gap >= 1.99, "the second attempt came \(gap) s after the first")
        }
    }

    /// With the socket missing, deliveries wait; once it is there, all arrive, each payment's in event order.
    @Test func missingSocketThenPresentDeliversEverythingInOrder() async throws {
        let succeeded = String(decoding: try stripeFixture("payment_intent.succeeded.json"), as: UTF8.self)
        let failed = String(decoding: try stripeFixture("payment_intent.payment_failed.json"), as: UTF8.self)
        func event(_ n: Int, payment: String, created: Int, succeeds: Bool) -> Data {
            let body =
                succeeds
                ? succeeded.replacingOccurrences(of: "evt_WRAPPED0000000000000001", with: "evt_order_\(n)")
                    .replacingOccurrences(of: "pi_Aabcxyz01aDfoo", with: payment)
                    .replacingOccurrences(of: "1234567890", with: String(1_700_000_000 + created))
                : failed.replacingOccurrences(of: "evt_WRAPPED0000000000000002", with: "evt_order_\(n)")
                    .replacingOccurrences(of: "pi_123", with: payment)
                    .replacingOccurrences(of: "1541614878", with: String(1_700_000_000 + created))
            return Data(body.utf8)
        }
        // Per payment: two failures received newest first, then the success; all stored before the worker
        // starts, while the payment system's socket is missing.
        let storeTheEvents: (WorkerHarness) async throws -> Void = { harness in
            for (n, payment, created, succeeds) in [
                (1, "pi_A", 20, false), (2, "pi_A", 10, false), (3, "pi_A", 30, true),
                (4, "pi_B", 15, false), (5, "pi_B", 5, false), (6, "pi_B", 25, true),
            ] {
                try await harness.append(event(n, payment: payment, created: created, succeeds: succeeds))
            }
        }
        try await WorkerHarness.run(beforeTheWorkerStarts: storeTheEvents) { harness in
            // The payment system is away until the first delivery failed on the missing socket (then the worker
            // pauses its claims and probes the socket).
            let deadline = ContinuousClock.now + .seconds(20)
            while try await harness.store.delivery(DeliveryID(2))?.attempts.count ?? 0 < 1,
                ContinuousClock.now < deadline
            {
                try await Task.sleep(for: .milliseconds(20))
            }
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let requests = await listener.waitForRequests(6)
            let arrived = try requests.map { request -> (String, String) in
                let event = try JSONValueParser.parse([UInt8](request.body))
                guard case .string(let id) = event["id"], case .string(let subject) = event["subject"] else {
                    throw HarnessError(reason: "no id or subject")
                }
                return (subject, id)
            }
            #expect(arrived.filter { $0.0 == "pi_A" }.map(\.1) == ["evt_order_2", "evt_order_1", "evt_order_3"])
            #expect(arrived.filter { $0.0 == "pi_B" }.map(\.1) == ["evt_order_5", "evt_order_4", "evt_order_6"])
            #expect(requests.count == 6)
            let first = try #require(try await harness.store.delivery(DeliveryID(2)))
            #expect(first.attempts.count >= 2)
            #expect(first.attempts.first?.report.error == "socket missing (ENOENT)")
        }
    }
}
