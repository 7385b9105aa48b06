import HookgateCore
import Testing

/// Each real Stripe fixture normalized with the default options, checked field by field against the fixture.
@Suite("Normalization of the real Stripe fixtures")
struct StripeFixtureNormalizationTests {
    private func fixture(_ name: String) throws -> (bytes: [UInt8], event: JSONValue, object: JSONValue) {
        let bytes = Fixtures.bytes("stripe-events/\(name).json")
        let event = try JSONValueParser.parse(bytes)
        return (bytes, event, event["data"]!["object"]!)
    }

    @Test func paymentIntentSucceeded() throws {
        let (bytes, event, object) = try self.fixture("payment_intent.succeeded")
        let events = try forwarded(bytes)
        try #require(events.count == 1)
        let normalized = events[0]
        let paymentId = object["id"]!
        #expect(paymentId == .string("pi_Aabcxyz01aDfoo"))
        #expect(normalized.id == "evt_WRAPPED0000000000000001")
        #expect(normalized.type == "payment-succeeded")
        #expect(normalized.subject == "pi_Aabcxyz01aDfoo")
        #expect(normalized.orderingKey == "pi_Aabcxyz01aDfoo")
        #expect(normalized.factKey == "payment-succeeded:pi_Aabcxyz01aDfoo")
        #expect(normalized.supersededByFactKey == nil)
        #expect(normalized.created == 1_234_567_890)
        let cloud = try cloudEvent(normalized)
        #expect(cloud["specversion"] == .string("1.0"))
        #expect(cloud["id"] == event["id"])
        #expect(cloud["source"] == .string("stripe/platform/test"))
        #expect(cloud["subject"] == paymentId)
        #expect(cloud["time"] == .string("2009-02-13T23:31:30Z"))
        #expect(cloud["datacontenttype"] == .string("application/json"))
        #expect(cloud["dataschema"] == .string("https://schemas.hookgate.dev/payments/payment-succeeded/1.0.0.json"))
        #expect(cloud["stripetype"] == event["type"])
        #expect(cloud["stripeapiversion"] == event["api_version"])
        let data = try #require(cloud["data"])
        #expect(data["paymentId"] == paymentId)
        #expect(data["orderId"] == object["metadata"]!["order_id"])
        #expect(data["orderId"] == .string("123456789"))
        #expect(data["amount"] == object["amount"])
        #expect(data["currency"] == object["currency"])
        #expect(data["customerId"] == .null)
        #expect(data["livemode"] == event["livemode"])
        #expect(data["failureCode"] == nil)
    }

    @Test func paymentIntentPaymentFailedOf2018() throws {
        let (bytes, event, object) = try self.fixture("payment_intent.payment_failed")
        let events = try forwarded(bytes)
        try #require(events.count == 1)
        let normalized = events[0]
        #expect(normalized.id == "evt_WRAPPED0000000000000002")
        #expect(normalized.type == "payment-failed")
        #expect(normalized.subject == "pi_123")
        #expect(normalized.orderingKey == "pi_123")
        #expect(normalized.factKey == "payment-failed:evt_WRAPPED0000000000000002")
        #expect(normalized.supersededByFactKey == "payment-succeeded:pi_123")
        let cloud = try cloudEvent(normalized)
        #expect(cloud["time"] == .string("2018-11-07T18:21:18Z"))
        #expect(cloud["stripeapiversion"] == .string("2018-10-31"))
        let data = try #require(cloud["data"])
        let error = try #require(object["last_payment_error"])
        #expect(data["paymentId"] == object["id"])
        #expect(data["orderId"] == .null)
        #expect(data["amount"] == object["amount"])
        #expect(data["currency"] == .string("eur"))
        #expect(data["customerId"] == object["customer"])
        #expect(data["livemode"] == event["livemode"])
        #expect(data["failureCode"] == error["code"])
        #expect(data["declineCode"] == error["decline_code"])
        #expect(data["failureMessage"] == error["message"])
        #expect(data["failureMessage"] == .string("Your card was declined."))
    }

    @Test func refundUpdatedOf2026() throws {
        let (bytes, _, object) = try self.fixture("refund.updated")
        let events = try forwarded(bytes)
        try #require(events.count == 1)
        let normalized = events[0]
        #expect(normalized.id == "evt_WRAPPED0000000000000006")
        #expect(normalized.type == "refund-processed")
        #expect(normalized.subject == "re_1Pgc72B7WZ01zgkWqPvrRrPE")
        #expect(normalized.orderingKey == "ch_1PgafuB7WZ01zgkWXYmPNZs8")
        #expect(normalized.factKey == "refund-processed:re_1Pgc72B7WZ01zgkWqPvrRrPE")
        #expect(normalized.supersededByFactKey == nil)
        let cloud = try cloudEvent(normalized)
        #expect(cloud["stripeapiversion"] == .string("2026-07-29.dahlia"))
        let data = try #require(cloud["data"])
        #expect(data["refundId"] == object["id"])
        #expect(data["paymentId"] == .null)
        #expect(data["chargeId"] == object["charge"])
        #expect(data["amount"] == object["amount"])
        #expect(data["currency"] == object["currency"])
        #expect(data["status"] == object["status"])
        #expect(data["reason"] == .null)
        #expect(data["orderId"] == .null)
    }

    /// The 2012 charge says `refunded: true` but lists no refunds, so there is no refund id to report.
    @Test func chargeRefundedOf2012IsSkippedWithoutRefundList() throws {
        let (bytes, event, object) = try self.fixture("charge.refunded")
        #expect(event["api_version"] == .null)
        #expect(object["refunds"] == nil)
        #expect(try skipCode(bytes) == .refundsNotListed)
    }

    @Test(arguments: ["customer.created", "invoice.paid"])
    func nonCatalogEventsAreSkipped(name: String) throws {
        #expect(try skipCode(self.fixture(name).bytes) == .unmappedType)
    }

    @Test func forwardUnmappedSendsTheRawObject() throws {
        let options = NormalizationOptions(forwardUnmapped: true)
        let (bytes, event, object) = try self.fixture("invoice.paid")
        let events = try forwarded(bytes, options: options)
        try #require(events.count == 1)
        #expect(events[0].type == "stripe.invoice.paid")
        #expect(events[0].subject == "in_1036Vr2eZvKYlo2CfjuUHA94")
        #expect(events[0].orderingKey == nil)
        #expect(events[0].factKey == nil)
        let cloud = try cloudEvent(events[0])
        #expect(cloud["type"] == .string("stripe.invoice.paid"))
        #expect(cloud["id"] == event["id"])
        #expect(cloud["dataschema"] == nil)
        #expect(cloud["data"] == object)

        let customer = try self.fixture("customer.created")
        let customerEvents = try forwarded(customer.bytes, options: options)
        #expect(customerEvents.first?.subject == nil)
        #expect(try cloudEvent(customerEvents[0])["subject"] == nil)
        #expect(try cloudEvent(customerEvents[0])["data"] == customer.object)
    }

    /// A thin event carries no object to normalize: it is forwarded as received, in its payment's order when
    /// it is about a payment intent, whatever the mapping says of its type.
    @Test(
        arguments: [
            ("v1.payment_intent.succeeded", "pi_3SxThinPayment0000000001"),
            ("v1.billing.meter.error_report_triggered", nil),
            ("v2.core.event_destination.ping", nil),
        ] as [(String, String?)]
    )
    func thinEventsAreForwardedAsReceived(_ name: String, orderingKey: String?) throws {
        let bytes = Fixtures.bytes("thin-events/\(name).json")
        let outcome = try StripeEventNormalizer.normalize(body: bytes, options: NormalizationOptions())
        #expect(outcome == .forwardOriginal(orderingKey: orderingKey))
    }
}
