import HookgateCore
import HookgateEmulator
import Testing

/// Each endpoint's answer has the members and types of Stripe's recorded objects (Tests/Fixtures/stripe-api/).
struct ContractTests {
    /// A PaymentIntent created, confirmed and retrieved is shaped like Stripe's, and says what happened.
    @Test func paymentIntentsAreShapedLikeStripes() throws {
        let client = EmulatorTestClient()
        let recorded = try ShapeComparison.fixture("stripe-api/payment_intent.json")
        let created = try client.post(
            "/v1/payment_intents",
            [("amount", "1099"), ("currency", "USD"), ("metadata[order_id]", "ord_7")]
        )
        #expect(created.status == 200)
        #expect(ShapeComparison.differences(created.json, recorded) == [])
        #expect(created.string("status") == "requires_payment_method")
        #expect(created.string("currency") == "usd")
        #expect(created.json["livemode"] == .bool(false))
        #expect(created.json["metadata"]?["order_id"] == .string("ord_7"))
        let id = try #require(created.string("id"))
        #expect(id.hasPrefix("pi_3") && id.count == 27)

        let confirmed = try client.post("/v1/payment_intents/\(id)/confirm", [("payment_method", "pm_card_visa")])
        #expect(confirmed.status == 200)
        #expect(ShapeComparison.differences(confirmed.json, recorded) == [])
        #expect(confirmed.string("status") == "succeeded")
        #expect(confirmed.json["amount_received"] == .integer(1099))
        #expect(confirmed.string("payment_method")?.hasPrefix("pm_1") == true)

        let retrieved = try client.get("/v1/payment_intents/\(id)")
        #expect(retrieved.json == confirmed.json)
        let expanded = try client.get("/v1/payment_intents/\(id)", [("expand[]", "latest_charge")])
        #expect(expanded.json["latest_charge"]?["object"] == .string("charge"))
    }

    /// The charge of a payment and a refund of it are shaped like Stripe's; the charge lists the refund.
    @Test func chargesAndRefundsAreShapedLikeStripes() throws {
        let client = EmulatorTestClient()
        let payment = try client.pay(amount: 5000)
        let chargeID = try #require(payment.string("latest_charge"))
        let paymentID = try #require(payment.string("id"))
        let refund = try client.post(
            "/v1/refunds",
            [("payment_intent", paymentID), ("amount", "1200"), ("reason", "requested_by_customer")]
        )
        #expect(refund.status == 200)
        #expect(ShapeComparison.differences(refund.json, try ShapeComparison.fixture("stripe-api/refund.json")) == [])
        #expect(refund.string("status") == "succeeded")
        #expect(refund.json["amount"] == .integer(1200))
        #expect(refund.string("payment_intent") == paymentID)
        #expect(refund.string("charge") == chargeID)
        let id = try #require(refund.string("id"))
        #expect(try client.get("/v1/refunds/\(id)").json == refund.json)

        let charge = try client.get("/v1/charges/\(chargeID)")
        #expect(ShapeComparison.differences(charge.json, try ShapeComparison.fixture("stripe-api/charge.json")) == [])
        #expect(charge.json["amount_refunded"] == .integer(1200))
        #expect(charge.json["refunded"] == .bool(false))
        guard case .array(let listed)? = charge.json["refunds"]?["data"] else {
            Issue.record("no refunds list")
            return
        }
        #expect(listed.map { $0["id"] } == [.string(id)])
    }

    /// The events list and each event are shaped like Stripe's; an event's object is a snapshot.
    @Test func eventsAreShapedLikeStripes() throws {
        let client = EmulatorTestClient()
        _ = try client.pay()
        let list = try client.get("/v1/events")
        #expect(ShapeComparison.differences(list.json, try ShapeComparison.fixture("stripe-api/list.json")) == [])
        guard case .array(let events)? = list.json["data"] else {
            Issue.record("no data")
            return
        }
        #expect(
            events.map { $0["type"] }
                == ["payment_intent.succeeded", "charge.succeeded", "payment_intent.created"].map(JSONValue.string)
        )
        let recorded = try ShapeComparison.fixture("stripe-api/event.json")
        for event in events {
            #expect(ShapeComparison.differences(event, recorded) == [])
            #expect(ShapeComparison.differences(event["request"], recorded["request"]!, path: "$.request") == [])
            #expect(event["livemode"] == .bool(false))
        }
        let created = events[2]
        #expect(
            created["data"]?["object"]?["status"] == .string("requires_confirmation"),
            "the snapshot when it happened"
        )
        guard case .string(let id)? = created["id"] else { return }
        #expect(try client.get("/v1/events/\(id)").json == created)
    }

    /// `GET /v2/core/events/{id}` answers the thin event, shaped like the thin-event fixtures.
    @Test func thinEventsAreShapedLikeStripes() throws {
        let client = EmulatorTestClient(forwards: true)
        _ = try client.pay()
        let recorded = try ShapeComparison.fixture("thin-events/v1.payment_intent.succeeded.json")
        let newest = try client.get("/v1/events", [("limit", "1")]).json["data"]
        guard case .array(let events)? = newest, case .string(let event)? = events.first?["id"] else {
            Issue.record("no event")
            return
        }
        let body = try #require(client.api.webhookBody(eventID: event, thin: true))
        guard case .string(let thinID)? = try JSONValueParser.parse(body)["id"] else {
            Issue.record("no thin id")
            return
        }
        #expect(thinID.hasPrefix("evt_test_65"))
        let thin = try client.get("/v2/core/events/\(thinID)")
        #expect(thin.status == 200)
        // Stripe omits `context` outside Connect; everything else is there.
        #expect(ShapeComparison.differences(thin.json, recorded).filter { !$0.hasPrefix("$.context") } == [])
        #expect(ShapeComparison.differences(thin.json["related_object"], recorded["related_object"]!) == [])
        #expect(thin.string("type") == "v1.payment_intent.succeeded")
        #expect(thin.string("object") == "v2.core.event")
        #expect(thin.string("created") == "2026-12-04T16:00:00.000Z")
        let relatedURL = try #require(thin.json["related_object"]?["url"])
        guard case .string(let url) = relatedURL else { return }
        #expect(try client.get(url).string("status") == "succeeded")
    }

    /// A declined card's 402 carries the members of Stripe's card error.
    @Test func cardErrorsAreShapedLikeStripes() throws {
        let client = EmulatorTestClient()
        let declined = try client.pay(with: "pm_card_chargeDeclined")
        #expect(declined.status == 402)
        let recorded = try ShapeComparison.fixture("stripe-api/error.json")
        let differences = ShapeComparison.differences(declined.json["error"], recorded["error"]!)
        // Stripe adds the declined payment method; the recorded example leaves it out.
        #expect(differences == ["$.payment_method: not in Stripe's"])
    }
}
