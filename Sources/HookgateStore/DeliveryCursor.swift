public import Foundation

/// Where a page of deliveries ends: the key reads are ordered by, the received time with the id as a tiebreak.
///
/// The order never depends on ids being committed in order (replicas sharing a database commit them out of
/// order): a delivery with a smaller id but a later received time sorts after one with a larger id.
public struct DeliveryCursor: Hashable, Comparable, Sendable {
    /// When the delivery was received, to the millisecond the store keeps.
    public var receivedAt: Date
    /// The delivery's id, which orders deliveries received in the same millisecond.
    public var id: DeliveryID

    /// The key of `record`: pass the last record of a page to read the next one.
    public init(_ record: DeliveryRecord) {
        self.init(receivedAt: record.received.receivedAt, id: record.id)
    }

    /// A key from its parts.
    public init(receivedAt: Date, id: DeliveryID) {
        self.receivedAt = receivedAt
        self.id = id
    }

    /// Key order: oldest received first, then the smaller id.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.receivedAt, lhs.id) < (rhs.receivedAt, rhs.id)
    }
}
