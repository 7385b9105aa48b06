import HookgateCore
import HookgateEmulator
import Testing

/// Stripe's test cards decide the outcome: `pm_card_chargeDeclined` is declined as Stripe declines it.
struct DeclinedCardTests {
    /// A 402 `card_error`/`card_declined` with the PaymentIntent (back to requires_payment_method, its
    /// last_payment_error set), and the events charge.failed and payment_intent.payment_failed.
    @Test func aDeclinedCardIsA402AndAPaymentFailedEvent() throws {
        let client = EmulatorTestClient()
        let answer = try client.pay(with: "pm_card_chargeDeclined")
        #expect(answer.status == 402)
        #expect(answer.error("type") == "card_error")
        #expect(answer.error("code") == "card_declined")
        #expect(answer.error("decline_code") == "generic_decline")
        #expect(answer.error("message") == "Your card was declined.")
        let intent = try #require(answer.json["error"]?["payment_intent"])
        #expect(intent["status"] == .string("requires_payment_method"))
        #expect(intent["last_payment_error"]?["code"] == .string("card_declined"))
        #expect(intent["last_payment_error"]?["decline_code"] == .string("generic_decline"))
        #expect(intent["payment_method"] == .null)

        guard case .array(let events)? = try client.get("/v1/events").json["data"] else { return }
        #expect(
            events.map { $0["type"] }
                == ["payment_intent.payment_failed", "charge.failed", "payment_intent.created"].map(JSONValue.string)
        )
        let failed = events[0]["data"]?["object"]
        #expect(failed?["last_payment_error"]?["message"] == .string("Your card was declined."))
        let charge = events[1]["data"]?["object"]
        #expect(charge?["status"] == .string("failed") && charge?["failure_code"] == .string("card_declined"))
    }

    /// After a decline the same PaymentIntent can be confirmed with a card that works.
    @Test func aDeclinedPaymentCanBeConfirmedWithAnotherCard() throws {
        let client = EmulatorTestClient()
        let declined = try client.pay(with: "pm_card_chargeDeclinedInsufficientFunds")
        #expect(declined.error("decline_code") == "insufficient_funds")
        guard case .string(let id)? = declined.json["error"]?["payment_intent"]?["id"] else {
            Issue.record("no payment intent")
            return
        }
        let retried = try client.post("/v1/payment_intents/\(id)/confirm", [("payment_method", "pm_card_visa")])
        #expect(retried.status == 200 && retried.string("status") == "succeeded")
        #expect(retried.json["last_payment_error"] == .null)
        let again = try client.post("/v1/payment_intents/\(id)/confirm")
        #expect(again.status == 400 && again.error("code") == "payment_intent_unexpected_state")
    }
}
