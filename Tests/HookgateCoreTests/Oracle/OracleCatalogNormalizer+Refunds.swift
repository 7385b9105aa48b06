import HookgateCore

extension OracleCatalogNormalizer {
    /// `refund-processed` from a succeeded refund, or one per succeeded refund a charge lists.
    ///
    /// Data: `refundId`, `paymentId` (the payment intent), `chargeId`, `amount` (minor units), `currency`,
    /// `status` (`succeeded`), `reason`, `orderId` (the refund's metadata, else the listing charge's).
    func refunds() throws(NormalizationError) -> NormalizationOutcome {
        switch self.objectKind {
        case "refund":
            let refund = self.event.object
            if let reason = try self.notSucceeded(refund) { return .skip(reason) }
            return .forward([try self.refundEvent(refund, id: self.event.id, listedOn: nil)])
        case "charge":
            let charge = self.event.object
            guard let refunds = try charge.list("refunds") else {
                return .skip(
                    SkipReason(
                        code: .refundsNotListed,
                        message: "the charge does not list its refunds (APIs from 2022-11-15 do not expand them,"
                            + " early ones did not always include them); the refund events report each refund"
                    )
                )
            }
            var events: [NormalizedEvent] = []
            for refund in refunds where try self.notSucceeded(refund) == nil {
                let id = "\(self.event.id):\(try refund.string("id"))"
                events.append(try self.refundEvent(refund, id: id, listedOn: charge))
            }
            guard !events.isEmpty else {
                return .skip(
                    SkipReason(
                        code: .noSucceededRefund,
                        message: "the charge lists \(refunds.count) refund(s), none of them succeeded"
                    )
                )
            }
            return .forward(events)
        default:
            throw self.unsupportedObject(for: .refundProcessed, expected: "a refund or a charge")
        }
    }

    /// Why `refund` is not (yet) processed; `nil` when it succeeded.
    private func notSucceeded(_ refund: OracleObjectReader) throws(NormalizationError) -> SkipReason? {
        switch try refund.optionalString("status") {
        case "succeeded":
            return nil
        case nil where self.event.predatesRefundStatus:
            return nil
        case nil:
            return SkipReason(code: .refundNotSucceeded, message: "the refund has no status")
        case let status?:
            return SkipReason(code: .refundNotSucceeded, message: "the refund's status is \(status), not succeeded")
        }
    }

    /// The `refund-processed` event of a succeeded `refund`, listed on `charge` when that is given.
    private func refundEvent(
        _ refund: OracleObjectReader,
        id: String,
        listedOn charge: OracleObjectReader?
    ) throws(NormalizationError) -> NormalizedEvent {
        let refundId = try refund.string("id")
        let key = self.options.orderIdMetadataKey
        var paymentId = try refund.reference("payment_intent")
        var orderId = try refund.metadataValue(key)
        var currency = try refund.optionalCurrency("currency")
        var chargeId = try refund.reference("charge")
        if let charge {
            // Refunds listed on a charge may leave out what the charge already says.
            if paymentId == nil { paymentId = try charge.reference("payment_intent") }
            if orderId == nil { orderId = try charge.metadataValue(key) }
            if currency == nil { currency = try charge.currency("currency") }
            if chargeId == nil { chargeId = try charge.string("id") }
        }
        guard let chargeId else { throw refund.missing("charge") }
        guard let currency else { throw refund.missing("currency") }
        let type = CatalogEventType.refundProcessed
        return self.normalizedEvent(
            id: id,
            type: type,
            subject: refundId,
            orderingKey: paymentId ?? chargeId,
            factKey: "\(type.rawValue):\(refundId)",
            data: [
                ("refundId", .string(refundId)),
                ("paymentId", .oracleNullable(paymentId)),
                ("chargeId", .string(chargeId)),
                ("amount", .integer(try refund.amount("amount"))),
                ("currency", .string(currency)),
                ("status", .string("succeeded")),
                ("reason", .oracleNullable(try refund.optionalString("reason"))),
                ("orderId", .oracleNullable(orderId)),
            ]
        )
    }
}
