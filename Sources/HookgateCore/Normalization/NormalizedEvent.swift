/// One CloudEvent made from a Stripe event, with what the delivery worker needs to order and deduplicate it.
public struct NormalizedEvent: Sendable, Hashable {
    /// The CloudEvents `id`: the Stripe event id, or `<event id>:<refund id>` for the events of a
    /// `charge.refunded` (one per refund, deterministic).
    public var id: String
    /// The CloudEvents `type`: a ``CatalogEventType`` raw value, or `stripe.<type>` for a forwarded unmapped
    /// event.
    public var type: String
    /// The CloudEvents `subject`: the payment or refund id (the object's id for unmapped events, if any).
    public var subject: String?
    /// The payment the event belongs to (payment intent id, else charge id); events of one key are delivered
    /// one at a time in ``created`` order. `nil` when the event belongs to no payment.
    public var orderingKey: String?
    /// The fact the event states, e.g. `payment-succeeded:pi_123` or `refund-processed:re_123`; at most one
    /// event per fact key is forwarded. `nil` for unmapped events.
    public var factKey: String?
    /// A fact that makes this event obsolete: a `payment-failed` is not forwarded once
    /// `payment-succeeded:<payment id>` was.
    public var supersededByFactKey: String?
    /// The Stripe event's `created`, Unix seconds.
    public var created: Int64
    /// The CloudEvent as compact UTF-8 JSON (`application/cloudevents+json`).
    public var body: [UInt8]

    public init(
        id: String,
        type: String,
        subject: String?,
        orderingKey: String?,
        factKey: String?,
        supersededByFactKey: String?,
        created: Int64,
        body: [UInt8]
    ) {
        self.id = id
        self.type = type
        self.subject = subject
        self.orderingKey = orderingKey
        self.factKey = factKey
        self.supersededByFactKey = supersededByFactKey
        self.created = created
        self.body = body
    }
}
