public import Foundation

/// A delivery claimed by a worker until ``expiresAt``. Only the holder of the lease can complete the attempt.
public struct DeliveryLease: Hashable, Sendable {
    /// The claimed delivery (state `delivering`).
    public var record: DeliveryRecord
    /// The secret of this claim: a later claim after expiry gets a different token.
    public var token: String
    /// When the lease expires and the delivery becomes claimable again.
    public var expiresAt: Date
    /// What to send, in order; empty: the raw body (``DeliveryRecord/received``) with its content type.
    public var messages: [OutboundMessage]

    /// Creates a lease (backends build these when claiming).
    public init(record: DeliveryRecord, token: String, expiresAt: Date, messages: [OutboundMessage] = []) {
        self.record = record
        self.token = token
        self.expiresAt = expiresAt
        self.messages = messages
    }
}
