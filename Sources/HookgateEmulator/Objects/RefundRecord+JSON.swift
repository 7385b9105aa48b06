import HookgateCore

extension RefundRecord {
    /// The Refund object, with the members of Stripe's (`Tests/Fixtures/stripe-api/refund.json`).
    var json: JSONValue {
        .members([
            "id": .string(self.id),
            "object": .string("refund"),
            "amount": .integer(self.amount),
            "balance_transaction": .null,
            "charge": .string(self.charge),
            "created": .integer(self.created),
            "currency": .string(self.currency),
            "customer": .null,
            "customer_account": .null,
            "destination_details": .members([
                "card": .members([
                    "reference_status": .string("pending"), "reference_type": .string("acquirer_reference_number"),
                    "type": .string("refund"),
                ]),
                "type": .string("card"),
            ]),
            "metadata": .metadata(self.metadata),
            "payment_intent": .string(self.paymentIntent),
            "payment_method": .string(self.paymentMethod),
            "reason": .optional(self.reason),
            "receipt_number": .null,
            "source_transfer_reversal": .null,
            "status": .string(self.status),
            "transfer_reversal": .null,
        ])
    }
}
