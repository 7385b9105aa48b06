/// A delivery with all its attempts, oldest first.
public struct DeliveryDetail: Hashable, Sendable {
    /// The delivery.
    public var record: DeliveryRecord
    /// Its attempts, oldest first.
    public var attempts: [DeliveryAttempt]

    /// Creates a detail view.
    public init(record: DeliveryRecord, attempts: [DeliveryAttempt]) {
        self.record = record
        self.attempts = attempts
    }
}
