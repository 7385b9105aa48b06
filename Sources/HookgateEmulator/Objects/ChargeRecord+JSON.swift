import HookgateCore

extension ChargeRecord {
    /// The Charge object, with the members of Stripe's (`Tests/Fixtures/stripe-api/charge.json`); `refunds`
    /// lists the charge's refunds, newest first.
    func json(refunds: [RefundRecord]) -> JSONValue {
        let card = self.card
        let outcome: JSONValue =
            if let failure {
                .members([
                    "advice_code": .string("try_again_later"), "network_advice_code": .null,
                    "network_decline_code": .null, "network_status": .string("declined_by_network"),
                    "reason": .string(failure.declineCode), "risk_level": .string("normal"), "risk_score": .integer(20),
                    "seller_message": .string("The bank did not return any further details with this decline."),
                    "type": .string("issuer_declined"),
                ])
            } else {
                .members([
                    "advice_code": .null, "network_advice_code": .null, "network_decline_code": .null,
                    "network_status": .string("approved_by_network"), "reason": .null, "risk_level": .string("normal"),
                    "risk_score": .integer(20), "seller_message": .string("Payment complete."),
                    "type": .string("authorized"),
                ])
            }
        let details = JSONValue.members([
            "card": .members([
                "amount_authorized": self.succeeded ? .integer(self.amount) : .null,
                "brand": .string(card.brand),
                "checks": .members([
                    "address_line1_check": .null, "address_postal_code_check": .null, "cvc_check": .string("pass"),
                ]),
                "country": .string("US"),
                "exp_month": .integer(12),
                "exp_year": .integer(2034),
                "funding": .string(card.funding),
                "last4": .string(card.last4),
                "network": .string(card.brand),
            ]),
            "type": .string("card"),
        ])
        return .members([
            "id": .string(self.id),
            "object": .string("charge"),
            "amount": .integer(self.amount),
            "amount_captured": .integer(self.succeeded ? self.amount : 0),
            "amount_refunded": .integer(self.amountRefunded),
            "application": .null,
            "application_fee": .null,
            "application_fee_amount": .null,
            "balance_transaction": .null,
            "billing_details": .members([
                "address": .members([
                    "city": .null, "country": .null, "line1": .null, "line2": .null, "postal_code": .null,
                    "state": .null,
                ]),
                "email": .null, "name": .null, "phone": .null, "tax_id": .null,
            ]),
            "calculated_statement_descriptor": .string("HOOKGATE EMULATOR"),
            "captured": .bool(self.succeeded),
            "created": .integer(self.created),
            "currency": .string(self.currency),
            "customer": .optional(self.customer),
            "description": .null,
            "disputed": .bool(false),
            "failure_balance_transaction": .null,
            "failure_code": .optional(self.failure?.code),
            "failure_message": .optional(self.failure?.message),
            "fraud_details": .members([:]),
            "livemode": .bool(false),
            "metadata": .metadata(self.metadata),
            "on_behalf_of": .null,
            "outcome": outcome,
            "paid": .bool(self.succeeded),
            "payment_intent": .string(self.paymentIntent),
            "payment_method": .string(self.paymentMethod),
            "payment_method_details": details,
            "receipt_email": .null,
            "receipt_number": .null,
            "receipt_url": .null,
            "refunded": .bool(self.amountRefunded == self.amount && self.amount > 0),
            "refunds": .members([
                "object": .string("list"),
                "data": .array(refunds.reversed().map(\.json)),
                "has_more": .bool(false),
                "url": .string("/v1/charges/\(self.id)/refunds"),
            ]),
            "review": .null,
            "shipping": .null,
            "source": .null,
            "source_transfer": .null,
            "statement_descriptor": .null,
            "statement_descriptor_suffix": .null,
            "status": .string(self.succeeded ? "succeeded" : "failed"),
            "transfer_data": .null,
            "transfer_group": .null,
        ])
    }
}
