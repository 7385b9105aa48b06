/// A PaymentIntent as the emulator keeps it.
struct PaymentIntentRecord: Sendable, Codable {
    let id: String
    let clientSecret: String
    let amount: Int64
    let currency: String
    let created: Int64
    var status: String
    var paymentMethod: String?
    let metadata: [MetadataEntry]
    let description: String?
    var latestCharge: String?
    var lastPaymentError: StoredJSON?
    var amountReceived: Int64 = 0
    /// The `cus_` id given at creation (the emulator has no Customer objects).
    var customer: String? = nil
}

/// A Charge: one per confirmation attempt of a PaymentIntent.
struct ChargeRecord: Sendable, Codable {
    let id: String
    let paymentIntent: String
    let amount: Int64
    let currency: String
    let created: Int64
    let paymentMethod: String
    /// The test card it was paid with, which decided its outcome.
    let card: TestPaymentMethod
    let metadata: [MetadataEntry]
    /// The PaymentIntent's `customer`.
    var customer: String? = nil
    var amountRefunded: Int64 = 0
    /// The refunds of this charge, oldest first.
    var refunds: [String] = []

    /// Why the card was declined; `nil` when the charge succeeded.
    var failure: TestPaymentMethod.Decline? { self.card.decline }
    var succeeded: Bool { self.failure == nil }
}

/// A Refund of a charge.
struct RefundRecord: Sendable, Codable {
    let id: String
    let amount: Int64
    let currency: String
    let created: Int64
    let charge: String
    let paymentIntent: String
    let metadata: [MetadataEntry]
    let reason: String?
    let status: String
    let paymentMethod: String
}

/// An event: the object's snapshot when it happened, what caused it, and how its webhook went.
struct EventRecord: Sendable, Codable {
    let id: String
    /// The id of the same event as a thin event (`v2.core.event`).
    let thinID: String
    let type: String
    let created: Int64
    /// `created` in milliseconds, for the thin event's RFC 3339 time.
    let createdMilliseconds: Int64
    let object: StoredJSON
    let relatedObject: RelatedObject
    let requestID: String
    let idempotencyKey: String?
    var delivery: DeliveryState
}

/// How an event's webhook went.
public enum DeliveryState: String, Sendable, Codable {
    /// No endpoint to send it to.
    case none
    /// Not (yet) answered 2xx; still being tried.
    case pending
    /// Answered 2xx.
    case delivered
    /// Every attempt failed, or it was dropped on the way.
    case failed
}

/// One `metadata` member.
struct MetadataEntry: Sendable, Hashable, Codable {
    let key: String
    let value: String
}

/// What an event is about: a thin event's `related_object`.
struct RelatedObject: Sendable, Hashable, Codable {
    let id: String
    let type: String
    /// Where the API serves it, `/v1/payment_intents/pi_...`.
    let url: String
}
