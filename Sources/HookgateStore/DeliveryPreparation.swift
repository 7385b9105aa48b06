public import Foundation

/// What the delivery worker decided for a delivery before its first attempt, from its body.
///
/// The worker computes it (normalization is not the store's business); the store applies it
/// atomically with the facts it claims, so replicas sharing a database agree on what was forwarded.
public enum DeliveryPreparation: Hashable, Sendable {
    /// Forward the plan's messages (or, with none, the raw body as received).
    case forward(OutboundPlan)
    /// Never forward it; the reason is kept (e.g. `unmapped: customer.created`). The delivery becomes `skipped`.
    case skip(reason: String)
    /// It cannot be forwarded (e.g. its body does not normalize): `dead` at once with this error.
    case reject(error: String)
}

/// The messages one delivery forwards, and how it is ordered among the deliveries of the same payment.
public struct OutboundPlan: Hashable, Sendable {
    /// What to POST, in order. Empty: the raw body with its received content type.
    public var messages: [OutboundMessage]
    /// Deliveries with the same key are forwarded one at a time, by event creation time. Nil: unordered.
    public var orderingKey: String?
    /// The catalog event type (e.g. `payment-succeeded`), for listing.
    public var catalogType: String?
    /// The subject of the event (a payment or refund id), for listing.
    public var subject: String?

    /// Creates a plan.
    public init(
        messages: [OutboundMessage],
        orderingKey: String? = nil,
        catalogType: String? = nil,
        subject: String? = nil
    ) {
        self.messages = messages
        self.orderingKey = orderingKey
        self.catalogType = catalogType
        self.subject = subject
    }

    /// Forward the raw body, unordered.
    public static let raw = OutboundPlan(messages: [])
}

/// One message to POST upstream.
public struct OutboundMessage: Hashable, Sendable {
    /// The `Content-Type` to send.
    public var contentType: String
    /// The body to send.
    public var body: Data
    /// The fact the message announces (e.g. `payment-succeeded:pi_123`). Only the first delivery to claim
    /// a fact forwards it; a later message with the same fact is dropped (unless the delivery is a replay).
    public var factKey: String?
    /// A fact that makes this message obsolete (e.g. a failure after `payment-succeeded:pi_123`): dropped
    /// when that fact was claimed before.
    public var supersededBy: String?

    /// Creates a message.
    public init(contentType: String, body: Data, factKey: String? = nil, supersededBy: String? = nil) {
        self.contentType = contentType
        self.body = body
        self.factKey = factKey
        self.supersededBy = supersededBy
    }
}
