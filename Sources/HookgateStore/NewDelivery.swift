public import Foundation

/// A verified webhook request (or a reconciled event), as the gateway hands it to ``DeliveryStore/append(_:)``.
public struct NewDelivery: Hashable, Sendable {
    /// The configured endpoint that received it. With ``eventID``, the dedup key.
    public var endpoint: String
    /// The provider's event id (Stripe `evt_...`).
    public var eventID: String
    /// The provider's event type (e.g. `payment_intent.succeeded`).
    public var eventType: String
    /// The event's own `created` time.
    public var eventCreated: Date
    /// When the gateway received the request.
    public var receivedAt: Date
    /// The request body, exactly as received. Stored and returned byte for byte.
    public var body: Data
    /// The headers that matter for re-verifying and tracing.
    public var headers: DeliveryHeaders
    /// The client's address as the gateway saw it (e.g. `203.0.113.7:51234`).
    public var peerAddress: String?
    /// The label of the key that verified the signature (never the key itself).
    public var keyLabel: String?
    /// Whether a route matched. An unrouted delivery is stored as ``DeliveryState/skipped``.
    public var isRouted: Bool
    /// How it reached the store: a signed webhook, or an event fetched from the provider's API by reconciliation.
    public var origin: DeliveryOrigin

    /// Creates a delivery to append; it becomes due at `receivedAt`.
    public init(
        endpoint: String,
        eventID: String,
        eventType: String,
        eventCreated: Date,
        receivedAt: Date,
        body: Data,
        headers: DeliveryHeaders = DeliveryHeaders(),
        peerAddress: String? = nil,
        keyLabel: String? = nil,
        isRouted: Bool = true,
        origin: DeliveryOrigin = .webhook
    ) {
        self.endpoint = endpoint
        self.eventID = eventID
        self.eventType = eventType
        self.eventCreated = eventCreated
        self.receivedAt = receivedAt
        self.body = body
        self.headers = headers
        self.peerAddress = peerAddress
        self.keyLabel = keyLabel
        self.isRouted = isRouted
        self.origin = origin
    }
}
