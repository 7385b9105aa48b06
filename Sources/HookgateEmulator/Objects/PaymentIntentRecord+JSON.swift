import HookgateCore

extension PaymentIntentRecord {
    /// The PaymentIntent object, with the members of Stripe's (`Tests/Fixtures/stripe-api/payment_intent.json`).
    var json: JSONValue {
        let card = JSONValue.members([
            "installments": .null, "mandate_options": .null, "network": .null,
            "request_three_d_secure": .string("automatic"),
        ])
        return .members([
            "id": .string(self.id),
            "object": .string("payment_intent"),
            "amount": .integer(self.amount),
            "amount_capturable": .integer(0),
            "amount_details": .members(["tip": .members([:])]),
            "amount_received": .integer(self.amountReceived),
            "application": .null,
            "application_fee_amount": .null,
            "automatic_payment_methods": .null,
            "canceled_at": .null,
            "cancellation_reason": .null,
            "capture_method": .string("automatic"),
            "client_secret": .string(self.clientSecret),
            "confirmation_method": .string("automatic"),
            "created": .integer(self.created),
            "currency": .string(self.currency),
            "customer": .optional(self.customer),
            "customer_account": .null,
            "description": .optional(self.description),
            "excluded_payment_method_types": .null,
            "last_payment_error": self.lastPaymentError?.value ?? .null,
            "latest_charge": .optional(self.latestCharge),
            "livemode": .bool(false),
            "managed_payments": .null,
            "metadata": .metadata(self.metadata),
            "next_action": .null,
            "on_behalf_of": .null,
            "payment_method": .optional(self.paymentMethod),
            "payment_method_configuration_details": .null,
            "payment_method_options": .members(["card": card]),
            "payment_method_types": .array([.string("card")]),
            "processing": .null,
            "receipt_email": .null,
            "review": .null,
            "setup_future_usage": .null,
            "shipping": .null,
            "source": .null,
            "statement_descriptor": .null,
            "statement_descriptor_suffix": .null,
            "status": .string(self.status),
            "transfer_data": .null,
            "transfer_group": .null,
        ])
    }
}
