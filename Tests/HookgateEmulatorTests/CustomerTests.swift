import Foundation
import HookgateCore
import HookgateEmulator
import Testing

/// `customer` on `POST /v1/payment_intents`: there are no Customer objects, so any `cus_` id is kept as given.
struct CustomerTests {
    /// The id is on the PaymentIntent, its charge and their events, and survives a restart from the state file.
    @Test func aCustomerIsKeptOnThePaymentIntentItsChargeAndEvents() throws {
        let path = NSTemporaryDirectory() + "emulator-customer-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let now: @Sendable () -> Int64 = { 1_796_400_000_000 }
        let client = EmulatorTestClient(api: try StripeAPI(forwards: false, now: now, statePath: path))
        let paid = try client.post(
            "/v1/payment_intents",
            [
                ("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true"),
                ("customer", "cus_Order42"),
            ]
        )
        #expect(paid.status == 200)
        #expect(paid.string("customer") == "cus_Order42")
        let intentID = try #require(paid.string("id"))
        let chargeID = try #require(paid.string("latest_charge"))
        #expect(try client.get("/v1/charges/\(chargeID)").string("customer") == "cus_Order42")
        guard case .array(let events)? = try client.get("/v1/events").json["data"] else {
            Issue.record("no events")
            return
        }
        #expect(events.count == 3)
        for event in events {
            #expect(event["data"]?["object"]?["customer"] == .string("cus_Order42"))
        }

        let restarted = EmulatorTestClient(api: try StripeAPI(forwards: false, now: now, statePath: path))
        #expect(try restarted.get("/v1/payment_intents/\(intentID)").string("customer") == "cus_Order42")
        #expect(try restarted.get("/v1/charges/\(chargeID)").string("customer") == "cus_Order42")
    }

    /// Without `customer` it is null, as before.
    @Test func withoutACustomerItIsNull() throws {
        let client = EmulatorTestClient()
        let paid = try client.pay()
        #expect(paid.json["customer"] == .null)
    }

    /// Something that is not a `cus_` id is Stripe's `resource_missing` on `customer`, and nothing is made.
    @Test(arguments: ["cust_1", "cus_", "cus_a b", "pm_card_visa"])
    func aCustomerThatIsNotACusIDIsRefused(_ customer: String) throws {
        let client = EmulatorTestClient()
        let refused = try client.post(
            "/v1/payment_intents",
            [("amount", "2000"), ("currency", "usd"), ("customer", customer)]
        )
        #expect(refused.status == 400)
        #expect(refused.error("code") == "resource_missing")
        #expect(refused.error("param") == "customer")
        guard case .array(let intents)? = try client.get("/v1/payment_intents").json["data"] else { return }
        #expect(intents.isEmpty)
    }
}
