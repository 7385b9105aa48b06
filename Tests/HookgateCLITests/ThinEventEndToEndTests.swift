import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate emulate --thin` → `hookgate serve` with a Stripe API key and `HOOKGATE_STRIPE_API_BASE` at the
/// emulator → `hookgate sink`: thin events come out normalized, as their snapshot events would.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct ThinEventEndToEndTests {
    /// A pm_card_visa payment reaches the sink as a schema-valid `payment-succeeded` and its refund as
    /// `refund-processed`, each with the thin event's id; the thin event the catalog does not map
    /// (`v1.payment_intent.created`) is forwarded as received; the store keeps every thin event byte-exact.
    @Test func thinEventsAreNormalizedThroughTheAPI() async throws {
        let directory = try TemporaryDirectory()
        let apiPort = try LoopbackPort.free()
        let config = try directory.write(
            "hookgate.json",
            Array(DeliveryScenario.configuration(timeoutMilliseconds: 2000).utf8)
        )
        let socket = directory.url.appendingPathComponent("data/payments.sock").path
        let gateway = try GatewayProcess(
            directory: directory.url,
            arguments: ["--config", config],
            environment: [
                "STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret, "STRIPE_API_KEY": EmulatorProcess.apiKey,
                "HOOKGATE_STRIPE_API_BASE": "http://127.0.0.1:\(apiPort)",
                "HOOKGATE_DATA_DIR": directory.url.appendingPathComponent("data").path,
                "HOOKGATE_UPSTREAM_SOCKET": socket,
            ]
        )
        let sink = try SinkProcess.reportingJSON(on: socket, in: directory.url)
        let emulator = try EmulatorProcess(
            directory: directory.url,
            arguments: [
                "--listen", "127.0.0.1:\(apiPort)", "--thin",
                "--forward-to", "https://localhost:\(gateway.port)/webhooks/stripe",
                "--cacert", directory.url.appendingPathComponent("certs/dev-ca.pem").path, "--retry-scale", "0.05",
            ],
            environment: ["STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret]
        )
        #expect(emulator.port == apiPort)
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            [
                "amount=2000", "currency=usd", "payment_method=pm_card_visa", "confirm=true",
                "metadata[order_id]=ord_thin",
            ]
        )
        guard case .string(let paymentID)? = payment.body["id"] else {
            Issue.record("no id: \(payment.body.serialized())")
            return
        }
        let refund = try emulator.request("POST", "/v1/refunds", ["payment_intent=\(paymentID)", "amount=500"])
        #expect(refund.status == 200, "\(refund.body.serialized())")
        try emulator.waitForDelivered(5)
        let store = try SQLiteDeliveryStore.running(
            configuration: .init(path: directory.url.appendingPathComponent("data/hookgate.sqlite").path)
        )
        let stored = try await store.waitUntilAll(5) { $0.state.isFinal }
        await store.close()
        for record in stored {
            let body = try JSONValueParser.parse([UInt8](record.received.body))
            #expect(body["object"] == .string("v2.core.event"), "stored as received")
        }

        let records = try sink.waitForRecords(3)
        let succeeded = try #require(records.first { $0.attribute("type") == "payment-succeeded" }, "\(sink.stdout)")
        #expect(succeeded.attribute("subject") == paymentID)
        #expect(succeeded.event?["data"]?["orderId"] == .string("ord_thin"))
        #expect(succeeded.event?["data"]?["amount"] == .integer(2000))
        let processed = try #require(records.first { $0.attribute("type") == "refund-processed" }, "\(sink.stdout)")
        #expect(processed.event?["data"]?["refundId"] == refund.body["id"])
        #expect(processed.event?["data"]?["amount"] == .integer(500))
        let thinIDs = Set(stored.map(\.received.eventID))
        #expect(thinIDs.contains(succeeded.attribute("id") ?? ""))
        #expect(thinIDs.contains(processed.attribute("id") ?? ""))
        for record in [succeeded, processed] {
            #expect(CatalogSchemas.violations(of: try #require(record.event)) == [])
        }
        let raw = records.filter { $0.event?["object"] == .string("v2.core.event") }
        #expect(raw.compactMap { $0.event?["type"] } == [.string("v1.payment_intent.created")], "\(sink.stdout)")
        #expect(sink.records.count == 3, "\(sink.stdout)")
        #expect(!gateway.stdout.contains(EmulatorProcess.apiKey) && !gateway.stderr.contains(EmulatorProcess.apiKey))
        #expect(try emulator.stop() == 0)
    }

    /// A signed snapshot event whose `created` is an RFC 3339 time (issue 17's acceptance) is answered 200,
    /// stored byte for byte, and forwarded as the same `payment-succeeded` an integer `created` gives.
    @Test func aSnapshotEventWithAnRFC3339CreatedIsStoredAndNormalized() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink()
        let fixture = String(
            decoding: try CLIFixtures.bytes("stripe-events/payment_intent.succeeded.json"),
            as: UTF8.self
        )
        let created = try #require(fixture.firstMatch(of: /"created": *[0-9]+/))
        let body = Array(
            fixture.replacingCharacters(in: created.range, with: #""created": "2026-12-02T06:20:53.001Z""#).utf8
        )
        let path = try scenario.directory.write("rfc3339-created.json", body)
        let id = try #require(EventEnvelope.read(body)).id
        let result = try scenario.send(["--body-file", path])
        #expect(
            result.stdout.split(separator: "\n").first == "200 {\"id\":\"\(id)\",\"duplicate\":false}",
            "\(result.output)"
        )
        let store = try scenario.openStore()
        let records = try await store.waitUntilAll(1) { $0.state.isFinal }
        await store.close()
        #expect(Array(try #require(records.first).received.body) == body, "stored byte for byte")
        let forwarded = try #require(try sink.waitForRecords(1).first?.event)
        #expect(forwarded["type"] == .string("payment-succeeded"))
        #expect(forwarded["time"] == .string("2026-12-02T06:20:53Z"))
        #expect(CatalogSchemas.violations(of: forwarded) == [])
    }
}
