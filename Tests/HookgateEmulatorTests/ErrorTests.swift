import HookgateCore
import HookgateEmulator
import Testing

/// Stripe's error shape and statuses for what the emulator refuses; it never passes itself off as Stripe.
struct ErrorTests {
    /// Every answer names the emulator in `Server`, carries a `Request-Id`, and is JSON.
    @Test func everyAnswerSaysItIsTheEmulator() throws {
        let client = EmulatorTestClient()
        for answer in [try client.get("/"), try client.get("/v1/events"), try client.get("/v1/events", key: nil)] {
            #expect(answer.response.header("Server") == "Hookgate-Emulator (not Stripe)")
            #expect(answer.response.header("Request-Id")?.hasPrefix("req_") == true)
            #expect(answer.response.header("Content-Type") == "application/json")
        }
        #expect(try client.get("/").json["livemode"] == .bool(false))
    }

    /// No key, a live key, another scheme: 401 in Stripe's shape, never repeating the key. Basic auth with the
    /// key as the user name (`curl -u sk_test_...:`) works.
    @Test(arguments: [nil, "Bearer sk_live_secretLiveKey", "Token sk_test_x", "Bearer sk_test_", "Basic !!!"])
    func missingOrUnusableKeysAre401(_ authorization: String?) throws {
        let client = EmulatorTestClient()
        let headers: [(name: String, value: String)] = authorization.map { [("Authorization", $0)] } ?? []
        let answer = try client.send(APIRequest(method: "GET", target: "/v1/events", headers: headers))
        #expect(answer.status == 401)
        #expect(answer.error("type") == "invalid_request_error")
        #expect(!String(decoding: answer.response.body, as: UTF8.self).contains("secretLiveKey"))
        let basic = "Basic " + Base64.encode(Array("\(EmulatorTestClient.apiKey):".utf8))
        #expect(
            try client.send(APIRequest(method: "GET", target: "/v1/events", headers: [("Authorization", basic)])).status
                == 200
        )
    }

    /// Validation errors: status, code and param as Stripe gives them.
    @Test func invalidParametersAre400WithTheParam() throws {
        let client = EmulatorTestClient()
        let cases: [(parameters: [(String, String)], code: String, param: String)] = [
            ([("currency", "usd")], "parameter_missing", "amount"),
            ([("amount", "12x"), ("currency", "usd")], "parameter_invalid_integer", "amount"),
            ([("amount", "0"), ("currency", "usd")], "parameter_invalid_integer", "amount"),
            ([("amount", "100")], "parameter_missing", "currency"),
            ([("amount", "100"), ("currency", "dollars")], "parameter_invalid_string", "currency"),
            ([("amount", "100"), ("currency", "usd"), ("colour", "red")], "parameter_unknown", "colour"),
            ([("amount", "100"), ("currency", "usd"), ("confirm", "yes")], "parameter_invalid_boolean", "confirm"),
            (
                [("amount", "100"), ("currency", "usd"), ("payment_method", "pm_card_nope")], "resource_missing",
                "payment_method"
            ),
            ([("amount", "100"), ("currency", "usd"), ("confirm", "true")], "parameter_missing", "payment_method"),
            (
                [("amount", "100"), ("currency", "usd"), ("metadata[\(String(repeating: "k", count: 41))]", "v")],
                "parameter_invalid_string", "metadata[\(String(repeating: "k", count: 41))]"
            ),
        ]
        for (parameters, code, param) in cases {
            let answer = try client.post("/v1/payment_intents", parameters)
            #expect(answer.status == 400, "\(parameters)")
            #expect(answer.error("type") == "invalid_request_error")
            #expect(answer.error("code") == code, "\(parameters)")
            #expect(answer.error("param") == param, "\(parameters)")
            #expect(answer.error("message")?.isEmpty == false)
        }
    }

    /// Unknown objects are 404 `resource_missing`; unknown paths 404 naming the emulator.
    @Test func unknownObjectsAndPathsAre404() throws {
        let client = EmulatorTestClient()
        for path in [
            "/v1/payment_intents/pi_missing", "/v1/refunds/re_missing", "/v1/events/evt_missing", "/v1/charges/ch_x",
            "/v2/core/events/evt_x",
        ] {
            let answer = try client.get(path)
            #expect(answer.status == 404, "\(path)")
            #expect(answer.error("code") == "resource_missing", "\(path)")
        }
        let confirm = try client.post("/v1/payment_intents/pi_missing/confirm")
        #expect(confirm.status == 404 && confirm.error("code") == "resource_missing")
        let unknown = try client.get("/v1/customers")
        #expect(unknown.status == 404 && unknown.error("message")?.contains("Hookgate's emulator") == true)
    }

    /// Refunds: of nothing, of an unpaid PaymentIntent, too much, twice in full; reasons and expansions checked.
    @Test func refundsAreRefusedAsStripeDoes() throws {
        let client = EmulatorTestClient()
        #expect(try client.post("/v1/refunds").error("code") == "parameter_missing")
        let missing = try client.post("/v1/refunds", [("payment_intent", "pi_missing")])
        #expect(missing.status == 400 && missing.error("code") == "resource_missing")
        let unpaid = try client.post("/v1/payment_intents", [("amount", "900"), ("currency", "eur")])
        let notRefundable = try client.post("/v1/refunds", [("payment_intent", unpaid.string("id")!)])
        #expect(notRefundable.status == 400 && notRefundable.error("code") == "charge_not_refundable")
        let paid = try client.pay(amount: 900).string("id")!
        let tooMuch = try client.post("/v1/refunds", [("payment_intent", paid), ("amount", "901")])
        #expect(
            tooMuch.status == 400 && tooMuch.error("code") == "amount_too_large" && tooMuch.error("param") == "amount"
        )
        let badReason = try client.post("/v1/refunds", [("payment_intent", paid), ("reason", "bored")])
        #expect(badReason.status == 400 && badReason.error("param") == "reason")
        #expect(try client.post("/v1/refunds", [("payment_intent", paid)]).json["amount"] == .integer(900))
        let again = try client.post("/v1/refunds", [("payment_intent", paid)])
        #expect(again.status == 400 && again.error("code") == "charge_already_refunded")
        let expand = try client.get("/v1/payment_intents/\(paid)", [("expand[]", "amount")])
        #expect(expand.status == 400 && expand.error("param") == "expand")
        // An id of an object the emulator does not keep (a PaymentMethod) is refused too, not left as an id.
        let method = try client.get("/v1/payment_intents/\(paid)", [("expand[]", "payment_method")])
        #expect(method.status == 400 && method.error("param") == "expand", "\(method.json.serialized())")
    }

    /// A malformed form body is refused.
    @Test func malformedBodiesAreRefused() throws {
        let client = EmulatorTestClient()
        let answer = try client.send(
            APIRequest(
                method: "POST",
                target: "/v1/payment_intents",
                headers: [("Authorization", "Bearer \(EmulatorTestClient.apiKey)")],
                body: Array("amount=%ZZ".utf8)
            )
        )
        #expect(answer.status == 400 && answer.error("type") == "invalid_request_error")
    }
}
