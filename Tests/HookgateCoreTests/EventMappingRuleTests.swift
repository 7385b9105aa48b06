import HookgateCore
import Testing

/// Every mapping rule of the default table, overrides, and the object rules attached to catalog types.
@Suite("Event mapping rules")
struct EventMappingRuleTests {
    private static let charge = """
        {"id": "ch_1", "object": "charge", "amount": 2500, "currency": "usd", "customer": "cus_1",
         "payment_intent": null, "failure_code": "card_declined", "failure_message": "Declined.",
         "metadata": {"order_id": "ord_9", "shop_order": "S-77"}, "livemode": false}
        """
    private static let chargeWithIntent = """
        {"id": "ch_2", "object": "charge", "amount": 2500, "currency": "usd", "payment_intent": "pi_2"}
        """

    private static func refund(_ status: String?, id: String = "re_1", extra: String = "") -> String {
        let statusMember = status.map { "\"status\": \"\($0)\"," } ?? ""
        return """
            {"id": "\(id)", "object": "refund", "amount": 500, "currency": "usd", "charge": "ch_1",
             "payment_intent": "pi_1", \(statusMember) "reason": "requested_by_customer",
             "metadata": {"order_id": "ord_1"}\(extra)}
            """
    }

    @Test func theDefaultTable() {
        let mapping = EventMapping.default
        #expect(mapping.target(forStripeType: "payment_intent.succeeded") == .catalog(.paymentSucceeded))
        #expect(mapping.target(forStripeType: "payment_intent.payment_failed") == .catalog(.paymentFailed))
        #expect(mapping.target(forStripeType: "charge.succeeded") == .catalog(.paymentSucceeded))
        #expect(mapping.target(forStripeType: "charge.failed") == .catalog(.paymentFailed))
        for type in ["refund.created", "refund.updated", "charge.refund.updated", "charge.refunded"] {
            #expect(mapping.target(forStripeType: type) == .catalog(.refundProcessed))
        }
        #expect(mapping.target(forStripeType: "customer.created") == nil)
        #expect(mapping.targets.count == 8)
    }

    @Test func chargeSucceededWithoutPaymentIntent() throws {
        let events = try forwarded(stripeEvent("charge.succeeded", object: Self.charge))
        try #require(events.count == 1)
        #expect(events[0].type == "payment-succeeded")
        #expect(events[0].orderingKey == "ch_1")
        #expect(events[0].factKey == "payment-succeeded:ch_1")
        let data = try cloudEvent(events[0])["data"]
        #expect(data?["paymentId"] == .string("ch_1"))
        #expect(data?["amount"] == .integer(2500))
        #expect(data?["customerId"] == .string("cus_1"))
        #expect(data?["orderId"] == .string("ord_9"))
    }

    @Test func chargeFailedWithoutPaymentIntent() throws {
        let events = try forwarded(stripeEvent("charge.failed", object: Self.charge))
        let data = try cloudEvent(try #require(events.first))["data"]
        #expect(events[0].type == "payment-failed")
        #expect(events[0].supersededByFactKey == "payment-succeeded:ch_1")
        #expect(data?["failureCode"] == .string("card_declined"))
        #expect(data?["declineCode"] == .null)
        #expect(data?["failureMessage"] == .string("Declined."))
    }

    @Test(arguments: ["charge.succeeded", "charge.failed"])
    func chargesOfAPaymentIntentAreSkipped(type: String) throws {
        #expect(try skipCode(stripeEvent(type, object: Self.chargeWithIntent)) == .coveredByPaymentIntent)
    }

    @Test func overridesAddAndReplaceTypesAndKeepTheObjectRules() throws {
        let options = NormalizationOptions(
            mapping: .default.overriding(with: [
                "charge.captured": .catalog(.paymentSucceeded), "payment_intent.succeeded": .skip,
                "payment_intent.canceled": .catalog(.paymentFailed),
            ])
        )
        #expect(try forwarded(stripeEvent("charge.captured", object: Self.charge), options: options).count == 1)
        #expect(
            try skipCode(stripeEvent("charge.captured", object: Self.chargeWithIntent), options: options)
                == .coveredByPaymentIntent
        )
        let intent = #"{"id": "pi_7", "object": "payment_intent", "amount": 10, "currency": "eur"}"#
        #expect(
            try forwarded(stripeEvent("payment_intent.canceled", object: intent), options: options)[0].type
                == "payment-failed"
        )
        #expect(
            try skipCode(stripeEvent("payment_intent.succeeded", object: intent), options: options) == .mappedToSkip
        )
        var forwarding = options
        forwarding.forwardUnmapped = true
        #expect(
            try skipCode(stripeEvent("payment_intent.succeeded", object: intent), options: forwarding) == .mappedToSkip
        )
    }

    @Test(arguments: ["refund.created", "refund.updated", "charge.refund.updated"])
    func succeededRefundsAreProcessed(type: String) throws {
        let events = try forwarded(stripeEvent(type, object: Self.refund("succeeded")))
        try #require(events.count == 1)
        #expect(events[0].id == "evt_1")
        #expect(events[0].orderingKey == "pi_1")
        let data = try cloudEvent(events[0])["data"]
        #expect(data?["paymentId"] == .string("pi_1"))
        #expect(data?["chargeId"] == .string("ch_1"))
        #expect(data?["reason"] == .string("requested_by_customer"))
        #expect(data?["orderId"] == .string("ord_1"))
    }

    @Test(arguments: ["pending", "failed", "canceled", "requires_action", nil] as [String?])
    func refundsNotSucceededAreSkipped(status: String?) throws {
        #expect(try skipCode(stripeEvent("refund.updated", object: Self.refund(status))) == .refundNotSucceeded)
    }

    @Test func chargeRefundedYieldsOneEventPerSucceededRefund() throws {
        let charge = """
            {"id": "ch_1", "object": "charge", "amount": 2500, "currency": "usd", "payment_intent": "pi_1",
             "metadata": {"order_id": "ord_c"},
             "refunds": {"object": "list", "data": [
               \(Self.refund("succeeded", id: "re_a")),
               \(Self.refund("pending", id: "re_b")),
               {"id": "re_c", "object": "refund", "amount": 700, "status": "succeeded", "metadata": {}}
             ], "has_more": false}}
            """
        let events = try forwarded(stripeEvent("charge.refunded", object: charge, id: "evt_r"))
        #expect(events.map(\.id) == ["evt_r:re_a", "evt_r:re_c"])
        #expect(events.map(\.factKey) == ["refund-processed:re_a", "refund-processed:re_c"])
        #expect(events.allSatisfy { $0.orderingKey == "pi_1" })
        let last = try cloudEvent(events[1])
        #expect(last["id"] == .string("evt_r:re_c"))
        #expect(last["subject"] == .string("re_c"))
        #expect(last["data"]?["currency"] == .string("usd"))
        #expect(last["data"]?["chargeId"] == .string("ch_1"))
        #expect(last["data"]?["orderId"] == .string("ord_c"))
        #expect(last["data"]?["amount"] == .integer(700))
    }

    /// Before 2014-06-17 a charge listed its refunds as an array, and refunds had no status: a refund existed
    /// once it was done, so it counts as succeeded.
    @Test func chargeRefundedWithAPre2014RefundArray() throws {
        let charge = """
            {"id": "ch_old", "object": "charge", "amount": 1000, "currency": "usd", "refunded": true,
             "refunds": [{"id": "re_old", "object": "refund", "amount": 1000, "created": 1333543300}]}
            """
        let events = try forwarded(stripeEvent("charge.refunded", object: charge, id: "evt_old", apiVersion: nil))
        #expect(events.map(\.id) == ["evt_old:re_old"])
        #expect(events.first?.orderingKey == "ch_old")
        let data = try cloudEvent(try #require(events.first))["data"]
        #expect(data?["paymentId"] == .null)
        #expect(data?["currency"] == .string("usd"))
        #expect(data?["status"] == .string("succeeded"))
        // The same status-less refund from a later API version is not assumed to have succeeded.
        #expect(
            try skipCode(stripeEvent("charge.refunded", object: charge, apiVersion: "2015-01-01")) == .noSucceededRefund
        )
    }

    @Test func chargeRefundedWithoutSucceededRefunds() throws {
        let charge = """
            {"id": "ch_1", "object": "charge", "amount": 2500, "currency": "usd",
             "refunds": {"object": "list", "data": [\(Self.refund("pending"))]}}
            """
        #expect(try skipCode(stripeEvent("charge.refunded", object: charge)) == .noSucceededRefund)
    }

    @Test func sourceNamesTheConnectedAccountAndMode() throws {
        let intent = #"{"id": "pi_7", "object": "payment_intent", "amount": 10, "currency": "eur"}"#
        let body = stripeEvent("payment_intent.succeeded", object: intent, account: "acct_9", livemode: true)
        let cloud = try cloudEvent(try forwarded(body)[0])
        #expect(cloud["source"] == .string("stripe/acct_9/live"))
        #expect(cloud["data"]?["livemode"] == .bool(true))
    }

    @Test func optionsChooseTheOrderKeyAndSchemaBase() throws {
        let options = NormalizationOptions(orderIdMetadataKey: "shop_order", dataschemaBase: "https://example.com/s/")
        let cloud = try cloudEvent(
            try #require(
                StripeEventNormalizer.normalize(
                    body: stripeEvent("charge.succeeded", object: Self.charge),
                    options: options
                ).events.first
            )
        )
        #expect(cloud["data"]?["orderId"] == .string("S-77"))
        #expect(cloud["dataschema"] == .string("https://example.com/s/payment-succeeded/1.0.0.json"))
    }

    @Test func expandedCustomerAndIntegralFloatAmounts() throws {
        let intent = """
            {"id": "pi_7", "object": "payment_intent", "amount": 19.0, "currency": "eur",
             "customer": {"id": "cus_x", "object": "customer"}}
            """
        let data = try cloudEvent(try forwarded(stripeEvent("payment_intent.succeeded", object: intent))[0])["data"]
        #expect(data?["amount"] == .integer(19))
        #expect(data?["customerId"] == .string("cus_x"))
    }

    @Test func objectsACatalogTypeCannotBeMadeFrom() {
        let intent = #"{"id": "pi_7", "object": "payment_intent", "amount": 10, "currency": "eur"}"#
        let options = NormalizationOptions(mapping: EventMapping(targets: ["x.y": .catalog(.refundProcessed)]))
        let error = normalizationError(stripeEvent("x.y", object: intent), options: options)
        #expect(error?.code == .unsupportedObject)
        #expect(error?.path?.description == "$.data.object.object")
        let customer = #"{"id": "cus_1", "object": "customer"}"#
        #expect(
            normalizationError(stripeEvent("payment_intent.succeeded", object: customer))?.code == .unsupportedObject
        )
    }

    @Test func missingAndIllTypedFieldsNameTheirPath() {
        let noCharge = #"{"id": "re_1", "object": "refund", "amount": 5, "currency": "usd", "status": "succeeded"}"#
        let missing = normalizationError(stripeEvent("refund.created", object: noCharge))
        #expect(missing?.code == .missingField)
        #expect(missing?.path?.description == "$.data.object.charge")
        let textAmount = #"{"id": "pi_1", "object": "payment_intent", "amount": "10", "currency": "usd"}"#
        let invalid = normalizationError(stripeEvent("payment_intent.succeeded", object: textAmount))
        #expect(invalid?.code == .invalidField)
        #expect(invalid?.description == "$.data.object.amount: expected an integer, found a string")
    }
}

extension NormalizationOutcome {
    /// The forwarded events; empty for a skip.
    fileprivate var events: [NormalizedEvent] {
        if case .forward(let events) = self { return events }
        return []
    }
}
