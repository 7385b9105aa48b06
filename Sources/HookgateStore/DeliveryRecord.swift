public import Foundation

/// A stored delivery: what was received and where its delivery stands.
public struct DeliveryRecord: Hashable, Sendable {
    /// The store's id.
    public var id: DeliveryID
    /// What was received, as appended.
    public var received: NewDelivery
    /// The delivery state.
    public var state: DeliveryState
    /// How many attempts were recorded, over all replays.
    public var attemptCount: Int
    /// When the delivery is due: the next attempt for `pending`, the lease expiry for `delivering`, nil when final.
    public var nextAttemptAt: Date?
    /// When the current lease expires (only while `delivering`).
    public var leaseExpiresAt: Date?
    /// The error of the last failed attempt, if any.
    public var lastError: String?
    /// How many times the delivery was requeued as a replay (0 for the original delivery).
    public var replayCount: Int
    /// The last time the state changed.
    public var updatedAt: Date
    /// When the worker prepared it for forwarding (nil until its first claim, and again after a replay).
    public var preparedAt: Date?
    /// The ordering key it was prepared with: deliveries sharing one are forwarded one at a time.
    public var orderingKey: String?
    /// The catalog event type it was prepared as (e.g. `payment-succeeded`).
    public var catalogType: String?
    /// The subject it was prepared with (a payment or refund id).
    public var subject: String?
    /// Why it is `skipped`, when the worker decided so (e.g. `unmapped: customer.created`).
    public var skipReason: String?

    /// Creates a record (backends build these from their rows).
    public init(
        id: DeliveryID,
        received: NewDelivery,
        state: DeliveryState,
        attemptCount: Int,
        nextAttemptAt: Date?,
        leaseExpiresAt: Date?,
        lastError: String?,
        replayCount: Int,
        updatedAt: Date,
        preparedAt: Date? = nil,
        orderingKey: String? = nil,
        catalogType: String? = nil,
        subject: String? = nil,
        skipReason: String? = nil
    ) {
        self.id = id
        self.received = received
        self.state = state
        self.attemptCount = attemptCount
        self.nextAttemptAt = nextAttemptAt
        self.leaseExpiresAt = leaseExpiresAt
        self.lastError = lastError
        self.replayCount = replayCount
        self.updatedAt = updatedAt
        self.preparedAt = preparedAt
        self.orderingKey = orderingKey
        self.catalogType = catalogType
        self.subject = subject
        self.skipReason = skipReason
    }
}
