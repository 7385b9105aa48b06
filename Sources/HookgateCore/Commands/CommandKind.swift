/// The commands the payment system sends to Stripe through Hookgate, by CloudEvent `type`.
public enum CommandKind: String, Sendable, Hashable, CaseIterable {
    /// Charge a saved payment method: `POST /v1/payment_intents`, confirmed off session.
    case paymentRequested = "payment-requested"
    /// Refund a payment, wholly or in part: `POST /v1/refunds`.
    case refundRequested = "refund-requested"

    /// The version of the command's schema this gateway reads.
    public static let schemaVersion = "1.0.0"

    /// The `$id` of the command's JSON Schema (`Config/schemas/<type>.schema.json`), also the only
    /// `dataschema` accepted.
    public var schemaID: String {
        "https://schemas.hookgate.dev/payments/\(self.rawValue)/\(Self.schemaVersion).json"
    }

    /// The path of Stripe's API the command is sent to.
    public var apiPath: String {
        switch self {
        case .paymentRequested: "/v1/payment_intents"
        case .refundRequested: "/v1/refunds"
        }
    }
}
