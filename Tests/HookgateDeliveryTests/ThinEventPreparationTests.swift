import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import HookgateTestSupport
import Testing

/// The worker with Stripe's API (a scripted one on a real socket): a thin event whose type maps to a catalog
/// event is normalized from its fetched object, retried while the API fails in a way a retry may cure, and
/// dead with the status when it does not; other thin events are forwarded raw without a request.
@Suite(.timeLimit(.minutes(1)))
struct ThinEventPreparationTests {
    static let key = "sk_test_thinPreparationNeverShown"

    /// The payment intent of the snapshot fixture, as `GET /v1/payment_intents/{id}` would answer it.
    static func paymentIntent() throws -> String {
        let event = try JSONValueParser.parse([UInt8](try stripeFixture("payment_intent.succeeded.json")))
        return try #require(event["data"]?["object"]).serialized()
    }

    static func settings(_ api: ScriptedStripeAPI) -> StripeAPISettings {
        StripeAPISettings(apiBase: api.base, apiKey: Secret(Self.key), keySource: "test")
    }

    /// 500 then the object: the delivery waits, is prepared again after a backoff, and reaches the payment
    /// system as `payment-succeeded` with the thin event's id; the stored body stays the thin event.
    @Test func aFailingAPIIsAskedAgainThenTheEventIsNormalized() async throws {
        let object = try Self.paymentIntent()
        let api = try await ScriptedStripeAPI { number, _ in
            number == 0
                ? .init(status: 500, body: #"{"error":{"type":"api_error","message":"try later"}}"#)
                : .init(status: 200, body: object)
        }
        defer { Task { await api.close() } }
        try await WorkerHarness.run(stripeAPI: Self.settings(api)) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let thin = try thinEventFixture("v1.payment_intent.succeeded.json")
            let id = try await harness.append(thin)
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .delivered, "\(detail.record.lastError ?? "")")
            #expect(detail.record.received.body == thin)
            #expect(api.received.count == 2)
            #expect(api.received.allSatisfy { $0.uri == "/v1/payment_intents/pi_3SxThinPayment0000000001" })
            let forwarded = try JSONValueParser.parse([UInt8](try #require(listener.received.first).body))
            #expect(forwarded["type"] == .string("payment-succeeded"))
            #expect(forwarded["id"] == .string("evt_test_65SxThinPayment00000000000000000000001"))
            #expect(forwarded["time"] == .string("2026-12-02T06:20:53Z"))
            #expect(CatalogSchemas.violations(of: forwarded) == [])
        }
    }

    /// 404 cures with no retry: the delivery is dead at once with the status, never the key.
    @Test func aMissingObjectEndsWithTheStatus() async throws {
        let api = try await ScriptedStripeAPI { _, _ in
            .init(
                status: 404,
                body:
                    #"{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such payment_intent"}}"#
            )
        }
        defer { Task { await api.close() } }
        try await WorkerHarness.run(stripeAPI: Self.settings(api)) { harness in
            let id = try await harness.append(try thinEventFixture("v1.payment_intent.succeeded.json"))
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .dead)
            let reason = detail.record.lastError ?? ""
            #expect(reason.contains("answered 404 (invalid_request_error, resource_missing)"), "\(reason)")
            #expect(!reason.contains(Self.key))
            #expect(api.received.count == 1)
        }
    }

    /// A thin event whose type maps to no catalog event is forwarded as received, with no request to the API.
    @Test func unmappedThinEventsAreForwardedRaw() async throws {
        let api = try await ScriptedStripeAPI { _, _ in .init(status: 500) }
        defer { Task { await api.close() } }
        try await WorkerHarness.run(stripeAPI: Self.settings(api)) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let ping = try thinEventFixture("v2.core.event_destination.ping.json")
            let id = try await harness.append(ping)
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .delivered)
            #expect(listener.received.first?.body == ping)
            #expect(api.received.isEmpty)
        }
    }
}
