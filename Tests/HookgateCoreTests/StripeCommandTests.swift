import HookgateCore
import HookgateTestSupport
import Testing

/// `payment-requested` and `refund-requested`: the forms they become, every rule refused with its member and
/// rule, and the Swift checks agreeing with `Config/schemas/*-requested.schema.json` on every example.
struct StripeCommandTests {
    static func event(
        _ type: String = "payment-requested",
        data: String,
        extra: String = ""
    ) -> String {
        #"{"specversion":"1.0","id":"cmd_1","source":"payments-platform/orders","type":"\#(type)"\#(extra),"data":\#(data)}"#
    }

    static let payment = #"{"orderId":"ord_1","amount":2000,"currency":"usd","paymentMethodId":"pm_card_visa"}"#
    static let refund = #"{"orderId":"ord_1","paymentId":"pi_123"}"#

    func parse(_ text: String) throws(CommandRefusal) -> StripeCommand {
        try StripeCommand.parse(Array(text.utf8))
    }

    func schemaViolations(_ text: String) throws -> [String] {
        let event = try JSONValueParser.parse(text)
        guard case .string(let type) = event["type"], let kind = CommandKind(rawValue: type) else { return ["type"] }
        return CatalogSchemas.validator(for: kind).violations(of: event)
    }

    /// A full payment-requested: Stripe's PaymentIntent parameters in order, the id as the idempotency key.
    @Test func paymentForm() throws {
        let text = Self.event(
            data: #"{"orderId":"ord 1&2","amount":2000,"currency":"eur","paymentMethodId":"pm_card_visa","#
                + #""customerId":"cus_A1","description":"2 × tea [large]"}"#,
            extra: #","subject":"ord 1&2","time":"2026-12-05T10:00:00Z","datacontenttype":"application/json","#
                + #""dataschema":"https://schemas.hookgate.dev/payments/payment-requested/1.0.0.json","traceparent":"00-x""#
        )
        let command = try self.parse(text)
        #expect(command.id == "cmd_1")
        #expect(command.kind == .paymentRequested)
        #expect(command.source == "payments-platform/orders")
        #expect(command.subject == "ord 1&2")
        #expect(command.method == "POST")
        #expect(command.path == "/v1/payment_intents")
        #expect(command.idempotencyKey == "cmd_1")
        #expect(
            String(decoding: command.form, as: UTF8.self)
                == "amount=2000&currency=eur&payment_method=pm_card_visa&confirm=true&off_session=true"
                + "&payment_method_types%5B0%5D=card&customer=cus_A1&description=2%20%C3%97%20tea%20%5Blarge%5D"
                + "&metadata%5Border_id%5D=ord%201%262&metadata%5Bhookgate_command_id%5D=cmd_1"
        )
        #expect(try self.schemaViolations(text) == [])
    }

    /// Without the optional members (customerId null): no customer, no description.
    @Test func minimalPaymentForm() throws {
        let data =
            #"{"orderId":"ord_1","amount":1,"currency":"usd","paymentMethodId":"pm_card_visa","customerId":null}"#
        let command = try self.parse(Self.event(data: data))
        #expect(
            String(decoding: command.form, as: UTF8.self)
                == "amount=1&currency=usd&payment_method=pm_card_visa&confirm=true&off_session=true"
                + "&payment_method_types%5B0%5D=card&metadata%5Border_id%5D=ord_1&metadata%5Bhookgate_command_id%5D=cmd_1"
        )
        #expect(try self.schemaViolations(Self.event(data: data)) == [])
    }

    /// A refund of part, with a reason; and of the whole rest (amount and reason null or absent).
    @Test func refundForms() throws {
        let partial = Self.event(
            "refund-requested",
            data: #"{"orderId":"ord_1","paymentId":"pi_123","amount":500,"reason":"requested_by_customer"}"#
        )
        let command = try self.parse(partial)
        #expect(command.kind == .refundRequested)
        #expect(command.path == "/v1/refunds")
        #expect(
            String(decoding: command.form, as: UTF8.self)
                == "payment_intent=pi_123&amount=500&reason=requested_by_customer"
                + "&metadata%5Border_id%5D=ord_1&metadata%5Bhookgate_command_id%5D=cmd_1"
        )
        #expect(try self.schemaViolations(partial) == [])
        for data in [Self.refund, #"{"orderId":"ord_1","paymentId":"pi_123","amount":null,"reason":null}"#] {
            let whole = Self.event("refund-requested", data: data)
            #expect(
                String(decoding: try self.parse(whole).form, as: UTF8.self)
                    == "payment_intent=pi_123&metadata%5Border_id%5D=ord_1&metadata%5Bhookgate_command_id%5D=cmd_1"
            )
            #expect(try self.schemaViolations(whole) == [])
        }
    }

    /// Each rule: the Swift refusal names the member and the rule, and the schema refuses the same document.
    @Test(arguments: [
        (
            event(data: payment).replacing(#""specversion":"1.0","#, with: ""),
            #"specversion: required, "1.0""#
        ),
        (event(data: payment).replacing(#""1.0""#, with: #""0.3""#), #"specversion: "1.0""#),
        (event("payment-succeeded", data: payment), #"type: one of "payment-requested", "refund-requested""#),
        (
            event(data: payment).replacing("cmd_1", with: "cmd 1"),
            "id: a string of 1 to 255 printable ASCII characters without spaces"
        ),
        (
            event(data: payment).replacing("cmd_1", with: String(repeating: "x", count: 256)),
            "id: a string of 1 to 255 printable ASCII characters without spaces"
        ),
        (
            event(data: payment).replacing(#""cmd_1""#, with: "7"),
            "id: a string of 1 to 255 printable ASCII characters without spaces"
        ),
        (
            event(data: payment).replacing("payments-platform/orders", with: ""),
            "source: a non-empty string"
        ),
        (event(data: payment, extra: #","subject":"""#), "subject: a non-empty string (the order id)"),
        (event(data: payment, extra: #","time":"yesterday""#), "time: an RFC 3339 date-time"),
        (event(data: payment, extra: #","datacontenttype":"text/plain""#), #"datacontenttype: "application/json""#),
        (
            event(
                data: payment,
                extra: #","dataschema":"https://schemas.hookgate.dev/payments/refund-requested/1.0.0.json""#
            ),
            #"dataschema: "https://schemas.hookgate.dev/payments/payment-requested/1.0.0.json""#
        ),
        (event(data: "[]"), "data: required, an object"),
        (
            event(data: payment.replacing(#""orderId":"ord_1","#, with: "")),
            "data.orderId: required, a string of 1 to 500 characters"
        ),
        (
            event(data: payment.replacing("ord_1", with: String(repeating: "o", count: 501))),
            "data.orderId: a string of 1 to 500 characters"
        ),
        (
            event(data: payment.replacing("2000", with: "0")),
            "data.amount: an integer from 1 to 99999999"
        ),
        (
            event(data: payment.replacing("2000", with: "100000000")),
            "data.amount: an integer from 1 to 99999999"
        ),
        (
            event(data: payment.replacing("2000", with: "20.5")),
            "data.amount: an integer from 1 to 99999999"
        ),
        (
            event(data: payment.replacing("2000", with: #""2000""#)),
            "data.amount: an integer from 1 to 99999999"
        ),
        (
            event(data: payment.replacing(#""amount":2000,"#, with: "")),
            "data.amount: required, an integer from 1 to 99999999"
        ),
        (
            event(data: payment.replacing("usd", with: "USD")),
            #"data.currency: three lowercase letters, an ISO currency code such as "usd""#
        ),
        (
            event(data: payment.replacing("pm_card_visa", with: "card_visa")),
            "data.paymentMethodId: a Stripe PaymentMethod id: pm_ then letters, digits or _"
        ),
        (
            event(data: payment.replacing("}", with: #","customerId":"cu_1"}"#)),
            "data.customerId: a Stripe Customer id (cus_ then letters, digits or _) or null"
        ),
        (
            event(
                data: payment.replacing(
                    "}",
                    with: #","description":"\#(String(repeating: "d", count: 1001))"}"#
                )
            ),
            "data.description: a string of at most 1000 characters"
        ),
        (
            event(data: payment.replacing("}", with: #","customer":"cus_1"}"#)),
            "data.customer: not a member of payment-requested data (it has orderId, amount, currency, paymentMethodId, customerId, description)"
        ),
        (
            event("refund-requested", data: refund.replacing("pi_123", with: "ch_123")),
            "data.paymentId: a Stripe PaymentIntent id: pi_ then letters, digits or _"
        ),
        (
            event("refund-requested", data: refund.replacing("}", with: #","amount":-5}"#)),
            "data.amount: an integer from 1 to 99999999, or null for all that is left"
        ),
        (
            event("refund-requested", data: refund.replacing("}", with: #","reason":"changed_mind"}"#)),
            #"data.reason: one of "duplicate", "fraudulent", "requested_by_customer", or null"#
        ),
        (
            event("refund-requested", data: refund.replacing("}", with: #","amout":5}"#)),
            "data.amout: not a member of refund-requested data (it has orderId, paymentId, amount, reason)"
        ),
    ])
    func refusals(_ text: String, _ message: String) throws {
        do {
            _ = try self.parse(text)
            Issue.record("accepted: \(message)")
        } catch {
            #expect(error.kind == .invalidCommand)
            #expect(error.description == message)
        }
        #expect(try !self.schemaViolations(text).isEmpty, "the schema accepts what Swift refuses: \(message)")
    }

    /// What the schema cannot express: a subject other than the order id; U+0000 in a string (the schema allows
    /// it, PostgreSQL keeps it in no text column); and bodies that are no JSON object.
    @Test func refusalsBeyondTheSchema() throws {
        #expect(throws: CommandRefusal.invalid("subject", "must equal data.orderId when present")) {
            try self.parse(Self.event(data: Self.payment, extra: #","subject":"ord_2""#))
        }
        let nulOrder = Self.event(data: Self.payment.replacing(#""ord_1""#, with: #""ord\u0000""#))
        #expect(throws: CommandRefusal.invalid("data.orderId", "no U+0000 (NUL)")) { try self.parse(nulOrder) }
        #expect(try self.schemaViolations(nulOrder).isEmpty)
        let nulSource = Self.event(data: Self.payment).replacing("payments-platform/orders", with: #"payments\u0000"#)
        #expect(throws: CommandRefusal.invalid("source", "no U+0000 (NUL)")) { try self.parse(nulSource) }
        #expect(throws: CommandRefusal.invalid("$", "a JSON object (one CloudEvent, structured mode)")) {
            try self.parse("[1]")
        }
        for text in ["{", #"{"id":1,"id":2}"#, ""] {
            do {
                _ = try self.parse(text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.kind == .malformedJSON)
                #expect(error.description.hasPrefix("$: not JSON (line 1, column "))
            }
        }
        let huge = Self.event(data: Self.payment, extra: #","padding":"\#(String(repeating: "p", count: 65_536))""#)
        #expect(throws: CommandRefusal.self) { try self.parse(huge) }
    }

    /// Form encoding: unreserved characters as they are, every other byte of the UTF-8 percent-encoded.
    @Test func formEncoding() {
        #expect(FormEncoding.encoded([]) == "")
        #expect(
            FormEncoding.encoded([("metadata[a b]", "x+y=z&w/é~-._")])
                == "metadata%5Ba%20b%5D=x%2By%3Dz%26w%2F%C3%A9~-._"
        )
    }
}
