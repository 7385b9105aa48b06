public import Foundation

/// Filters for listing deliveries, newest first. Nil filters match everything.
public struct DeliveryQuery: Hashable, Sendable {
    /// Only this endpoint.
    public var endpoint: String?
    /// Only this state.
    public var state: DeliveryState?
    /// Only this event type.
    public var eventType: String?
    /// Only this provider event id.
    public var eventID: String?
    /// Only deliveries prepared as this catalog event type (e.g. `payment-succeeded`).
    public var catalogType: String?
    /// Only deliveries prepared with this subject (a payment or refund id).
    public var subject: String?
    /// Only deliveries received at or after this time.
    public var receivedFrom: Date?
    /// Only deliveries received before this time.
    public var receivedBefore: Date?
    /// Only deliveries whose key (``DeliveryCursor``) comes before this one: the next page of a newest-first
    /// list starts before the key of the previous page's last delivery.
    public var before: DeliveryCursor?
    /// At most this many rows.
    public var limit: Int

    /// Creates a query; by default the 100 newest deliveries.
    public init(
        endpoint: String? = nil,
        state: DeliveryState? = nil,
        eventType: String? = nil,
        eventID: String? = nil,
        receivedFrom: Date? = nil,
        receivedBefore: Date? = nil,
        limit: Int = 100,
        catalogType: String? = nil,
        subject: String? = nil,
        before: DeliveryCursor? = nil
    ) {
        self.endpoint = endpoint
        self.state = state
        self.eventType = eventType
        self.eventID = eventID
        self.receivedFrom = receivedFrom
        self.receivedBefore = receivedBefore
        self.limit = limit
        self.catalogType = catalogType
        self.subject = subject
        self.before = before
    }
}
