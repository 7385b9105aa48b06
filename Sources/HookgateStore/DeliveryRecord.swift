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
        updatedAt: Date
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
    }
}
