import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate emulate` → a real `hookgate serve` (HTTPS, the emulator trusting its development CA) → a real
/// `hookgate sink`: payments and refunds made through the emulator's API come back to the payment system as
/// catalog events, once each even when the emulator duplicates and reorders its webhooks.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct EmulateEndToEndTests {
    /// Starts the emulator forwarding to `scenario`'s gateway with its secret, with `arguments` and `seed`.
    private func emulator(
        for scenario: DeliveryScenario,
        _ arguments: [String] = [],
        seed: Int = 17
    ) throws -> EmulatorProcess {
        let ca = scenario.directory.url.appendingPathComponent("certs/dev-ca.pem").path
        #expect(FileManager.default.fileExists(atPath: ca), "serve generated its development CA")
        return try EmulatorProcess(
            directory: scenario.directory.url,
            arguments: [
                "--forward-to", "https://localhost:\(scenario.gateway.port)/webhooks/stripe", "--cacert", ca,
                "--retry-scale", "0.05", "--seed", String(seed),
            ] + arguments,
            environment: ["STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret]
        )
    }

    /// A PaymentIntent paid with pm_card_visa reaches the sink as `payment-succeeded`, its refund as
    /// `refund-processed`; the events the gateway skips (payment_intent.created, charge.*) do not.
    @Test func aPaymentAndItsRefundReachThePaymentSystem() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink()
        let emulator = try self.emulator(for: scenario)
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            [
                "amount=2000", "currency=usd", "payment_method=pm_card_visa", "confirm=true",
                "metadata[order_id]=ord_e2e",
            ]
        )
        #expect(payment.status == 200, "\(payment.body.serialized())")
        guard case .string(let paymentID)? = payment.body["id"] else {
            Issue.record("no id: \(payment.body.serialized())")
            return
        }
        let succeeded = try #require(try sink.waitForRecords(1).first)
        #expect(succeeded.attribute("type") == "payment-succeeded")
        #expect(succeeded.attribute("subject") == paymentID)
        #expect(succeeded.event?["data"]?["orderId"] == .string("ord_e2e"))
        #expect(succeeded.event?["data"]?["amount"] == .integer(2000))

        let refund = try emulator.request("POST", "/v1/refunds", ["payment_intent=\(paymentID)", "amount=500"])
        #expect(refund.status == 200, "\(refund.body.serialized())")
        let records = try sink.waitForRecords(2)
        let processed = try #require(records.last)
        #expect(processed.attribute("type") == "refund-processed")
        #expect(processed.event?["data"]?["paymentId"] == .string(paymentID))
        #expect(processed.event?["data"]?["amount"] == .integer(500))
        #expect(processed.event?["data"]?["refundId"] == refund.body["id"])

        try emulator.waitForDelivered(5)
        let store = try scenario.openStore()
        let stored = try await store.waitUntilAll(5) { $0.state.isFinal }
        await store.close()
        #expect(
            Set(stored.map(\.received.eventType)) == [
                "payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "refund.created",
                "charge.refunded",
            ]
        )
        #expect(sink.records.count == 2, "\(sink.stdout)")
        #expect(sink.records.allSatisfy { CatalogSchemas.violations(of: $0.event!) == [] })
        #expect(try emulator.stop() == 0)
    }

    /// With every webhook sent twice and each request's events shuffled, the sink still sees each fact once.
    @Test func duplicatedAndReorderedWebhooksReachThePaymentSystemOnce() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink()
        // Seed 2 sends the payment's payment_intent.succeeded ahead of its payment_intent.created.
        let emulator = try self.emulator(for: scenario, ["--duplicate", "1", "--reorder"], seed: 2)
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=1500", "currency=eur", "payment_method=pm_card_visa", "confirm=true"]
        )
        guard case .string(let paymentID)? = payment.body["id"] else {
            Issue.record("no id: \(payment.body.serialized())")
            return
        }
        let refund = try emulator.request("POST", "/v1/refunds", ["payment_intent=\(paymentID)"])
        #expect(refund.status == 200)
        // Five events, each delivered twice: the gateway answers the second copy as a duplicate.
        try emulator.waitForDelivered(10)
        #expect(emulator.attemptLines.filter { $0.contains("(duplicate)") }.count == 5, "\(emulator.stdout)")
        // The seed's shuffle sends the payment's events out of the order they happened in.
        let sent = emulator.attemptLines.prefix(6).map { $0.split(separator: " ")[1] }
        #expect(
            sent.firstIndex(of: "payment_intent.succeeded")! < sent.firstIndex(of: "payment_intent.created")!,
            "\(sent)"
        )
        // Once every stored delivery is final nothing more is forwarded: two were, the others were skipped.
        let store = try scenario.openStore()
        let stored = try await store.waitUntilAll(5) { $0.state.isFinal }
        await store.close()
        #expect(stored.filter { $0.state == .delivered }.count == 2)
        let records = try sink.waitForRecords(2)
        let types = records.compactMap { $0.attribute("type") }
        #expect(types.sorted() == ["payment-succeeded", "refund-processed"], "\(sink.stdout)")
        #expect(Set(records.compactMap { $0.attribute("id") }).count == 2)
        #expect(try emulator.stop() == 0)
    }

    /// A dropped webhook never reaches the gateway, and the Events API lists it with delivery_success=false
    /// (what reconciliation will look for).
    @Test func droppedWebhooksAreListedAsUndelivered() async throws {
        let scenario = try DeliveryScenario()
        let emulator = try self.emulator(for: scenario, ["--drop", "1"])
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=700", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
        )
        #expect(payment.status == 200)
        let deadline = Date().addingTimeInterval(10)
        while emulator.attemptLines.filter({ $0.hasSuffix("(--drop)") }).count < 3, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let undelivered = try emulator.request("GET", "/v1/events?delivery_success=false")
        guard case .array(let events)? = undelivered.body["data"] else {
            Issue.record("\(undelivered.body.serialized())")
            return
        }
        #expect(events.count == 3)
        let store = try scenario.openStore()
        #expect(try await store.all().isEmpty)
        await store.close()
        #expect(try emulator.stop() == 0)
    }

    /// `--thin`: thin events reach the gateway, which stores and forwards them as received; their related
    /// objects and the events themselves are served by the emulator's API, here over HTTPS with serve's
    /// development certificate.
    @Test func thinEventsReachThePaymentSystemAsReceived() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink()
        let certs = scenario.directory.url.appendingPathComponent("certs")
        let emulator = try self.emulator(
            for: scenario,
            [
                "--thin", "--tls-cert", certs.appendingPathComponent("dev-cert.pem").path,
                "--tls-key", certs.appendingPathComponent("dev-key.pem").path,
            ]
        )
        #expect(emulator.scheme == "https")
        emulator.trustedCA = certs.appendingPathComponent("dev-ca.pem").path
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=2500", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
        )
        #expect(payment.status == 200, "\(payment.body.serialized())")
        let records = try sink.waitForRecords(3)
        let events = records.compactMap(\.event)
        #expect(events.allSatisfy { $0["object"] == .string("v2.core.event") }, "\(sink.stdout)")
        #expect(
            Set(events.compactMap { if case .string(let type)? = $0["type"] { type } else { nil } })
                == ["v1.payment_intent.created", "v1.charge.succeeded", "v1.payment_intent.succeeded"]
        )
        let succeeded = try #require(events.first { $0["type"] == .string("v1.payment_intent.succeeded") })
        guard case .string(let url)? = succeeded["related_object"]?["url"], case .string(let id)? = succeeded["id"]
        else {
            Issue.record("\(succeeded.serialized())")
            return
        }
        #expect(try emulator.request("GET", url).body["status"] == .string("succeeded"))
        #expect(try emulator.request("GET", "/v2/core/events/\(id)").body == succeeded)
        #expect(try emulator.stop() == 0)
    }
}
