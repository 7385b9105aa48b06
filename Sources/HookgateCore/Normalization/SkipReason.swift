/// Why a Stripe event is stored but not forwarded.
public struct SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// A stable, bounded identifier of the reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as text, e.g. `unmapped_type`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The Stripe type has no mapping and the endpoint does not forward unmapped events.
        public static let unmappedType = Code("unmapped_type")
        /// The endpoint's mapping says `skip` for this Stripe type.
        public static let mappedToSkip = Code("mapped_to_skip")
        /// A charge that belongs to a payment intent: the payment intent's event covers it.
        public static let coveredByPaymentIntent = Code("covered_by_payment_intent")
        /// The refund has not succeeded (pending, failed, canceled, requires_action, or no status).
        public static let refundNotSucceeded = Code("refund_not_succeeded")
        /// The refunded charge lists no refund that succeeded.
        public static let noSucceededRefund = Code("no_succeeded_refund")
        /// The refunded charge does not list its refunds at all (payloads of APIs before 2014 may not).
        public static let refundsNotListed = Code("refunds_not_listed")

        public var description: String { self.rawValue }
    }

    /// What kind of reason.
    public let code: Code
    /// A sentence for people.
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code): \(self.message)" }
}
