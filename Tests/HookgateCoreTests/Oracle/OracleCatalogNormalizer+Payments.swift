import HookgateCore

extension OracleCatalogNormalizer {
    /// `payment-succeeded` or `payment-failed` from a payment intent, or from a charge without one.
    ///
    /// Data: `paymentId`, `orderId` (metadata), `amount` (the object's `amount`, minor units), `currency`,
    /// `customerId`, `livemode`; failures add `failureCode`, `declineCode` and `failureMessage` from a payment
    /// intent's `last_payment_error`, or a charge's `failure_code` and `failure_message` (charges carry no
    /// decline code).
    func payment(_ type: CatalogEventType) throws(NormalizationError) -> NormalizationOutcome {
        let object = self.event.object
        let failure: (code: String?, declineCode: String?, message: String?)
        switch self.objectKind {
        case "payment_intent":
            let error = try object.optionalObject("last_payment_error")
            failure = (
                try error?.optionalString("code"), try error?.optionalString("decline_code"),
                try error?.optionalString("message")
            )
        case "charge":
            if let paymentIntent = try object.reference("payment_intent") {
                return .skip(
                    SkipReason(
                        code: .coveredByPaymentIntent,
                        message: "the charge belongs to payment intent \(paymentIntent), whose own event covers it"
                    )
                )
            }
            failure = (try object.optionalString("failure_code"), nil, try object.optionalString("failure_message"))
        default:
            throw self.unsupportedObject(for: type, expected: "a payment_intent or a charge")
        }
        let paymentId = try object.string("id")
        var data: [(String, JSONValue)] = [
            ("paymentId", .string(paymentId)),
            ("orderId", .oracleNullable(try object.metadataValue(self.options.orderIdMetadataKey))),
            ("amount", .integer(try object.amount("amount"))),
            ("currency", .string(try object.currency("currency"))),
            ("customerId", .oracleNullable(try object.reference("customer"))),
            ("livemode", .bool(self.event.livemode)),
        ]
        if type == .paymentFailed {
            data += [
                ("failureCode", .oracleNullable(failure.code)),
                ("declineCode", .oracleNullable(failure.declineCode)),
                ("failureMessage", .oracleNullable(failure.message)),
            ]
        }
        let succeededFact = "\(CatalogEventType.paymentSucceeded.rawValue):\(paymentId)"
        let isFailure = type == .paymentFailed
        return .forward([
            self.normalizedEvent(
                id: self.event.id,
                type: type,
                subject: paymentId,
                orderingKey: paymentId,
                factKey: isFailure ? "\(type.rawValue):\(self.event.id)" : succeededFact,
                supersededByFactKey: isFailure ? succeededFact : nil,
                data: data
            )
        ])
    }
}
