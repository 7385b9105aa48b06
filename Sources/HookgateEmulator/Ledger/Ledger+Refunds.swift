import HookgateCore

extension Ledger {
    /// The reasons Stripe accepts for a refund.
    static let refundReasons: Set<String> = ["duplicate", "fraudulent", "requested_by_customer"]

    /// `POST /v1/refunds`: payment_intent or charge, amount (default: what is left), reason, metadata.
    mutating func createRefund(_ parameters: FormParameters, context: Context) throws(StripeAPIError) -> JSONValue {
        try parameters.requireOnly(["payment_intent", "charge", "amount", "reason", "metadata", "expand"])
        var charge = try self.refundableCharge(parameters)
        let left = charge.amount - charge.amountRefunded
        guard left > 0 else {
            throw .invalid("charge_already_refunded", "Charge \(charge.id) has already been refunded.", param: nil)
        }
        let amount = try parameters.integer("amount", in: 1...Self.maximumAmount) ?? left
        guard amount <= left else {
            throw .invalid(
                "amount_too_large",
                "Refund amount (\(amount)) is greater than unrefunded amount on charge (\(left)).",
                param: "amount"
            )
        }
        let reason = parameters.value("reason")
        if let reason, !Self.refundReasons.contains(reason) {
            throw .invalid(
                "parameter_invalid_string",
                "Invalid reason: must be one of " + Self.refundReasons.sorted().joined(separator: ", ") + ".",
                param: "reason"
            )
        }
        let refund = RefundRecord(
            id: self.ids.make("re"),
            amount: amount,
            currency: charge.currency,
            created: context.seconds,
            charge: charge.id,
            paymentIntent: charge.paymentIntent,
            metadata: try parameters.metadata(),
            reason: reason,
            status: "succeeded",
            paymentMethod: charge.paymentMethod
        )
        self.store(refund)
        charge.amountRefunded += amount
        charge.refunds.append(refund.id)
        self.store(charge)
        self.record(
            "refund.created",
            object: refund.json,
            related: RelatedObject(id: refund.id, type: "refund", url: "/v1/refunds/\(refund.id)"),
            context: context
        )
        self.record(
            "charge.refunded",
            object: self.chargeJSON(charge.id)!,
            related: RelatedObject(id: charge.id, type: "charge", url: "/v1/charges/\(charge.id)"),
            context: context
        )
        return refund.json
    }

    /// `GET /v1/refunds/{id}`.
    func refund(_ id: String) throws(StripeAPIError) -> JSONValue {
        guard let refund = self.refunds[id] else { throw .noSuch("refund", id) }
        return refund.json
    }

    /// The succeeded charge a refund request names, through its payment_intent or charge.
    private func refundableCharge(_ parameters: FormParameters) throws(StripeAPIError) -> ChargeRecord {
        if let id = parameters.value("payment_intent") {
            guard let intent = self.paymentIntents[id] else {
                throw .noSuch("payment_intent", id, param: "payment_intent", status: 400)
            }
            guard intent.status == "succeeded", let chargeID = intent.latestCharge, let charge = self.charges[chargeID]
            else {
                throw .invalid(
                    "charge_not_refundable",
                    "This PaymentIntent (\(intent.id)) does not have a successful charge to refund.",
                    param: "payment_intent"
                )
            }
            return charge
        }
        if let id = parameters.value("charge") {
            guard let charge = self.charges[id] else { throw .noSuch("charge", id, param: "charge", status: 400) }
            guard charge.succeeded else {
                throw .invalid("charge_not_refundable", "Charge \(charge.id) did not succeed.", param: "charge")
            }
            return charge
        }
        throw .invalid(
            "parameter_missing",
            "One of the following params should be provided for this request: payment_intent or charge.",
            param: "payment_intent"
        )
    }
}
