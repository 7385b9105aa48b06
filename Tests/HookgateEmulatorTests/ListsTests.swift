import HookgateCore
import HookgateEmulator
import Testing

/// `GET /v1/payment_intents`, `GET /v1/refunds` and the emulator's own `GET /_emulator/requests`.
struct ListsTests {
    private func ids(_ answer: EmulatorTestClient.Answer) -> [String] {
        guard case .array(let items)? = answer.json["data"] else { return [] }
        return items.compactMap { if case .string(let id)? = $0["id"] { id } else { nil } }
    }

    /// PaymentIntents newest first, paged, within `created` bounds; lists shaped like Stripe's.
    @Test func paymentIntentsAreListedNewestFirst() throws {
        let client = EmulatorTestClient()
        var made: [String] = []
        for amount in 1...5 {
            made.append(try client.pay(amount: amount * 100).string("id")!)
            client.advance(seconds: 1)
        }
        let first = try client.get("/v1/payment_intents", [("limit", "3")])
        #expect(ShapeComparison.differences(first.json, try ShapeComparison.fixture("stripe-api/list.json")) == [])
        #expect(self.ids(first) == made.reversed().prefix(3).map { $0 })
        #expect(first.json["has_more"] == .bool(true))
        let rest = try client.get("/v1/payment_intents", [("limit", "3"), ("starting_after", made[2])])
        #expect(self.ids(rest) == [made[1], made[0]] && rest.json["has_more"] == .bool(false))
        let recent = try client.get("/v1/payment_intents", [("created[gte]", "\(client.now - 2)")])
        #expect(self.ids(recent) == [made[4], made[3]])
    }

    /// Refunds of one PaymentIntent, newest first.
    @Test func refundsAreListedPerPaymentIntent() throws {
        let client = EmulatorTestClient()
        let one = try client.pay(amount: 1000).string("id")!
        let other = try client.pay(amount: 1000).string("id")!
        let first = try client.post("/v1/refunds", [("payment_intent", one), ("amount", "100")]).string("id")!
        _ = try client.post("/v1/refunds", [("payment_intent", other)])
        let second = try client.post("/v1/refunds", [("payment_intent", one), ("amount", "200")]).string("id")!
        #expect(self.ids(try client.get("/v1/refunds", [("payment_intent", one)])) == [second, first])
        #expect(self.ids(try client.get("/v1/refunds")).count == 3)
    }

    /// The request log shows a retried POST twice: run once, replayed once, under its idempotency key.
    @Test func theRequestLogShowsReplays() throws {
        let client = EmulatorTestClient()
        let parameters = [
            ("amount", "2000"), ("currency", "usd"), ("payment_method", "pm_card_visa"), ("confirm", "true"),
        ]
        _ = try client.post("/v1/payment_intents", parameters, idempotencyKey: "cmd-1")
        _ = try client.post("/v1/payment_intents", parameters, idempotencyKey: "cmd-1")
        _ = try client.post("/v1/payment_intents", [("amount", "1")], idempotencyKey: "cmd-2")
        let log = try client.get("/_emulator/requests", [("idempotency_key", "cmd-1")])
        guard case .array(let entries)? = log.json["data"] else {
            Issue.record("\(log.json.serialized())")
            return
        }
        #expect(entries.map { $0["idempotent_replayed"] } == [.bool(true), .bool(false)])
        #expect(entries.allSatisfy { $0["status"] == .integer(200) && $0["path"] == .string("/v1/payment_intents") })
        #expect(self.ids(try client.get("/_emulator/requests")).count == 3)
        #expect(try client.get("/_emulator/requests", key: nil).status == 401)
    }
}
