import HookgateCore
import HookgateEmulator
import Testing

/// `Idempotency-Key` as Stripe keeps it: the same key and parameters replay the first answer, other parameters
/// are an `idempotency_error`, a request refused before it ran saves nothing.
struct IdempotencyTests {
    /// The second request with the same key and parameters gets the first answer again, marked replayed, and
    /// makes nothing new.
    @Test func sameKeyAndParametersReplayTheFirstAnswer() throws {
        let client = EmulatorTestClient()
        let parameters = [
            ("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true"),
        ]
        let first = try client.post("/v1/payment_intents", parameters, idempotencyKey: "order-1")
        let eventsAfterFirst = try client.get("/v1/events").json["data"]
        // The same parameters in another order are the same parameters.
        let second = try client.post("/v1/payment_intents", parameters.reversed(), idempotencyKey: "order-1")
        #expect(first.status == 200 && second.status == 200)
        #expect(second.response.body == first.response.body)
        #expect(second.response.header("Idempotent-Replayed") == "true")
        #expect(first.response.header("Idempotent-Replayed") == nil)
        #expect(second.response.header("Idempotency-Key") == "order-1")
        #expect(try client.get("/v1/events").json["data"] == eventsAfterFirst, "no second payment")
        // Another key makes another payment.
        let third = try client.post("/v1/payment_intents", parameters, idempotencyKey: "order-2")
        #expect(third.string("id") != first.string("id"))
    }

    /// The same key with other parameters (or on another endpoint) is refused with Stripe's 400.
    @Test func sameKeyWithOtherParametersIsAnIdempotencyError() throws {
        let client = EmulatorTestClient()
        let first = try client.post(
            "/v1/payment_intents",
            [("amount", "2000"), ("currency", "usd")],
            idempotencyKey: "k"
        )
        #expect(first.status == 200)
        let conflict = try client.post(
            "/v1/payment_intents",
            [("amount", "2001"), ("currency", "usd")],
            idempotencyKey: "k"
        )
        #expect(conflict.status == 400)
        #expect(conflict.error("type") == "idempotency_error")
        #expect(conflict.error("message")?.contains("'k'") == true)
        let elsewhere = try client.post("/v1/refunds", [("payment_intent", first.string("id")!)], idempotencyKey: "k")
        #expect(elsewhere.status == 400 && elsewhere.error("type") == "idempotency_error")
    }

    /// A request refused by validation saves nothing: the key can be used again, with corrected parameters.
    @Test func aRefusedRequestSavesNothing() throws {
        let client = EmulatorTestClient()
        let refused = try client.post("/v1/payment_intents", [("currency", "usd")], idempotencyKey: "k")
        #expect(refused.status == 400 && refused.error("code") == "parameter_missing")
        let accepted = try client.post(
            "/v1/payment_intents",
            [("amount", "5"), ("currency", "usd")],
            idempotencyKey: "k"
        )
        #expect(accepted.status == 200)
    }

    /// A POST whose `expand[]` cannot be expanded has run (its PaymentIntent and events exist): its 400 is saved
    /// and replayed, and a retry with the key makes no second payment.
    @Test func anUnexpandableExpandAfterAPaymentIsReplayed() throws {
        let client = EmulatorTestClient()
        let parameters = [
            ("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true"),
            ("expand[]", "no_such_member"),
        ]
        let first = try client.post("/v1/payment_intents", parameters, idempotencyKey: "expand")
        let second = try client.post("/v1/payment_intents", parameters, idempotencyKey: "expand")
        #expect(first.status == 400 && second.status == 400)
        #expect(second.response.header("Idempotent-Replayed") == "true")
        guard case .array(let intents)? = try client.get("/v1/payment_intents").json["data"] else {
            Issue.record("no list")
            return
        }
        #expect(intents.count == 1, "one payment")
    }

    /// A decline ran, so its 402 is saved and replayed; the card is not charged twice.
    @Test func aDeclineIsReplayed() throws {
        let client = EmulatorTestClient()
        let parameters = [
            ("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_chargeDeclined"), ("confirm", "true"),
        ]
        let first = try client.post("/v1/payment_intents", parameters, idempotencyKey: "declined")
        let second = try client.post("/v1/payment_intents", parameters, idempotencyKey: "declined")
        #expect(first.status == 402 && second.status == 402)
        #expect(second.response.body == first.response.body)
        #expect(second.response.header("Idempotent-Replayed") == "true")
        guard case .array(let events)? = try client.get("/v1/events").json["data"] else { return }
        #expect(events.count == 3)
    }

    /// Keys longer than Stripe's 255 characters are refused.
    @Test func overlongKeysAreRefused() throws {
        let client = EmulatorTestClient()
        let answer = try client.post(
            "/v1/payment_intents",
            [("amount", "2000"), ("currency", "usd")],
            idempotencyKey: String(repeating: "k", count: 256)
        )
        #expect(answer.status == 400 && answer.error("type") == "invalid_request_error")
    }
}
