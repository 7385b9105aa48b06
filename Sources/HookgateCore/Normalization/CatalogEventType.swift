/// An event of the payment system's catalog (owner `payments-platform`, version 1.0.0), the `type` of the
/// CloudEvents Hookgate forwards.
public enum CatalogEventType: String, Sendable, Hashable, CaseIterable {
    /// A payment was collected.
    case paymentSucceeded = "payment-succeeded"
    /// A payment attempt failed.
    case paymentFailed = "payment-failed"
    /// A refund reached the customer's payment method (status `succeeded`).
    case refundProcessed = "refund-processed"

    /// The version of the event's schema.
    public static let schemaVersion = "1.0.0"
}
