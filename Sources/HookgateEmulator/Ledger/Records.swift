import HookgateCore

/// A PaymentIntent as the emulator keeps it.
struct PaymentIntentRecord: Sendable {
    let id: String
    let clientSecret: String
    let amount: Int64
    let currency: String
    let created: Int64
    var status: String
    var paymentMethod: String?
    let metadata: [(key: String, value: String)]
    let description: String?
    var latestCharge: String?
    var lastPaymentError: JSONValue?
    var amountReceived: Int64 = 0
}

/// A Charge: one per confirmation attempt of a PaymentIntent.
struct ChargeRecord: Sendable {
    let id: String
    let paymentIntent: String
    let amount: Int64
    let currency: String
    let created: Int64
    let paymentMethod: String
    /// The test card it was paid with, which decided its outcome.
    let card: TestPaymentMethod
    let metadata: [(key: String, value: String)]
    var amountRefunded: Int64 = 0
    /// The refunds of this charge, oldest first.
    var refunds: [String] = []

    /// Why the card was declined; `nil` when the charge succeeded.
    var failure: TestPaymentMethod.Decline? { self.card.decline }
    var succeeded: Bool { self.failure == nil }
}

/// A Refund of a charge.
struct RefundRecord: Sendable {
    let id: String
    let amount: Int64
    let currency: String
    let created: Int64
    let charge: String
    let paymentIntent: String
    let metadata: [(key: String, value: String)]
    let reason: String?
    let status: String
    let paymentMethod: String
}

/// An event: the object's snapshot when it happened, what caused it, and how its webhook went.
struct EventRecord: Sendable {
    let id: String
    /// The id of the same event as a thin event (`v2.core.event`).
    let thinID: String
    let type: String
    let created: Int64
    /// `created` in milliseconds, for the thin event's RFC 3339 time.
    let createdMilliseconds: Int64
    let object: JSONValue
    let relatedObject: (id: String, type: String, url: String)
    let requestID: String
    let idempotencyKey: String?
    var delivery: DeliveryState
}

/// How an event's webhook went.
public enum DeliveryState: String, Sendable {
    /// No endpoint to send it to.
    case none
    /// Not (yet) answered 2xx; still being tried.
    case pending
    /// Answered 2xx.
    case delivered
    /// Every attempt failed, or it was dropped on the way.
    case failed
}
