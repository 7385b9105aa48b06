import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import NIOHTTP1
import Testing

@testable import HookgateDelivery

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
            // The event's context is a connected account: its object is fetched as that account.
            #expect(api.received.allSatisfy { $0.headers["Stripe-Account"] == ["acct_1SxThinConnected01"] })
            let forwarded = try JSONValueParser.parse([UInt8](try #require(listener.received.first).body))
            #expect(forwarded["type"] == .string("payment-succeeded"))
            #expect(forwarded["id"] == .string("evt_test_65SxThinPayment00000000000000000000001"))
            #expect(forwarded["time"] == .string("2026-12-02T06:20:53Z"))
            #expect(CatalogSchemas.violations(of: forwarded) == [])
        }
    }

    /// The thin event fixture with the last digits of its id and of its payment's id replaced by `number`: the
    /// success of another payment.
    static func thinEvent(_ number: Int) throws -> Data {
        var event = String(decoding: try thinEventFixture("v1.payment_intent.succeeded.json"), as: UTF8.self)
        for id in ["evt_test_65SxThinPayment00000000000000000000001", "pi_3SxThinPayment0000000001"] {
            #expect(event.contains(id))
            event = event.replacingOccurrences(of: id, with: Self.numbered(id, number))
        }
        return Data(event.utf8)
    }

    /// `id` with its last digits replaced by `number`.
    static func numbered(_ id: String, _ number: Int) -> String {
        let suffix = String(number)
        return id.dropLast(suffix.count) + suffix
    }

    /// An API that fails is not asked about each waiting thin event: after the first 503 (asking for 30 s) no
    /// more objects are fetched than were under way, the thin events wait, pending, and claims go on: an event
    /// of a raw endpoint received after forty of them is forwarded meanwhile. (With each fetch waited for before
    /// the next, as before, all forty were asked at every claim, and an API that times out held every claim for
    /// its timeout times the thin events waiting.)
    @Test func anAPIThatFailsIsPausedAndOtherDeliveriesGoOn() async throws {
        let api = try await ScriptedStripeAPI { _, _ in
            .init(
                status: 503,
                headers: [("Retry-After", "30")],
                body: #"{"error":{"type":"api_error","message":"try later"}}"#
            )
        }
        defer { Task { await api.close() } }
        let endpoints: [String: EndpointForwarding] = ["stripe": .normalized(NormalizationOptions()), "raw": .raw]
        try await WorkerHarness.run(endpoints: endpoints, stripeAPI: Self.settings(api)) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            var thin: [DeliveryID] = []
            for number in 1...40 { thin.append(try await harness.append(try Self.thinEvent(number))) }
            let raw = try stripeFixture("payment_intent.succeeded.json")
            let other = try await harness.append(raw, endpoint: "raw")
            #expect(try await harness.waitUntilFinal(other).record.state == .delivered)
            #expect(api.received.count >= 1)
            #expect(
                api.received.count <= DeliveryWorker.thinEventFetchWidth,
                "fetched \(api.received.count) objects from an API that asked for 30 s"
            )
            for id in thin { #expect(try await harness.store.delivery(id)?.record.state == .pending) }
            #expect(listener.received.map(\.body) == [raw])
        }
    }

    /// Thin events held while the API was paused are fetched once it answers again: none is lost, each ends
    /// forwarded.
    @Test func heldThinEventsAreFetchedOnceTheAPIAnswers() async throws {
        let object = try Self.paymentIntent()
        let fixtureID = "pi_Aabcxyz01aDfoo"
        #expect(object.contains(fixtureID))
        // The fixture's payment intent, as the one asked for.
        let api = try await ScriptedStripeAPI { number, request in
            number < 3
                ? .init(status: 500, body: #"{"error":{"type":"api_error","message":"try later"}}"#)
                : .init(
                    status: 200,
                    body: object.replacingOccurrences(
                        of: fixtureID,
                        with: String(request.uri.split(separator: "/").last ?? "")
                    )
                )
        }
        defer { Task { await api.close() } }
        try await WorkerHarness.run(stripeAPI: Self.settings(api)) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            var thin: [DeliveryID] = []
            for number in 1...20 { thin.append(try await harness.append(try Self.thinEvent(number))) }
            for id in thin {
                let record = try await harness.waitUntilFinal(id).record
                #expect(record.state == .delivered, "\(id.rawValue): \(record.state) \(record.lastError ?? "")")
            }
            #expect(api.received.count >= 20)
            let subjects = try listener.received.map { try JSONValueParser.parse([UInt8]($0.body))["subject"] }
            #expect(Set(subjects) == Set((1...20).map { .string(Self.numbered("pi_3SxThinPayment0000000001", $0)) }))
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

    /// A thin `v1.charge.refunded`: the charge is fetched with its refunds expanded (the pinned API version lists
    /// them only then), and the payment system gets the refund's `refund-processed`.
    @Test func aRefundedChargeIsFetchedWithItsRefunds() async throws {
        let charge = try Self.refundedCharge()
        let api = try await ScriptedStripeAPI { _, request in
            request.uri.hasSuffix("?expand%5B%5D=refunds")
                ? .init(status: 200, body: charge)
                : .init(status: 400, body: #"{"error":{"type":"invalid_request_error","message":"not expanded"}}"#)
        }
        defer { Task { await api.close() } }
        try await WorkerHarness.run(stripeAPI: Self.settings(api)) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let thin = String(decoding: try thinEventFixture("v1.payment_intent.succeeded.json"), as: UTF8.self)
                .replacingOccurrences(of: "v1.payment_intent.succeeded", with: "v1.charge.refunded")
                .replacingOccurrences(of: #""type": "payment_intent""#, with: #""type": "charge""#)
                .replacingOccurrences(
                    of: "/v1/payment_intents/pi_3SxThinPayment0000000001",
                    with: "/v1/charges/ch_1PgafuB7WZ01zgkWXYmPNZs8"
                )
            let id = try await harness.append(Data(thin.utf8))
            let detail = try await harness.waitUntilFinal(id)
            #expect(detail.record.state == .delivered, "\(detail.record.lastError ?? "")")
            #expect(api.received.map(\.uri) == ["/v1/charges/ch_1PgafuB7WZ01zgkWXYmPNZs8?expand%5B%5D=refunds"])
            let forwarded = try JSONValueParser.parse([UInt8](try #require(listener.received.first).body))
            #expect(forwarded["type"] == .string("refund-processed"))
            #expect(forwarded["data"]?["refundId"] == .string("re_1Pgc72B7WZ01zgkWqPvrRrPE"))
            #expect(CatalogSchemas.violations(of: forwarded) == [])
        }
    }

    /// Stripe's published Charge (`Tests/Fixtures/stripe-api/charge.json`), refunded by its published Refund
    /// (`refund.json`), as `GET /v1/charges/{id}?expand[]=refunds` answers it.
    static func refundedCharge() throws -> String {
        func fixture(_ name: String) throws -> JSONValue {
            var path = #filePath
            for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
            return try JSONValueParser.parse(
                [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + "/Fixtures/stripe-api/" + name)))
            )
        }
        guard case .object(let members) = try fixture("charge.json") else { throw CocoaError(.fileReadCorruptFile) }
        let refund = try fixture("refund.json")
        let refunded = members.map { member -> JSONValue.Member in
            switch member.key {
            case "refunded": JSONValue.Member(key: "refunded", value: .bool(true))
            case "amount_refunded": JSONValue.Member(key: "amount_refunded", value: .integer(100))
            case "refunds":
                JSONValue.Member(
                    key: "refunds",
                    value: .object([
                        JSONValue.Member(key: "object", value: .string("list")),
                        JSONValue.Member(key: "data", value: .array([refund])),
                        JSONValue.Member(key: "has_more", value: .bool(false)),
                    ])
                )
            default: member
            }
        }
        return JSONValue.object(refunded).serialized()
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
