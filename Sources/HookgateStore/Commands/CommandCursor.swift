public import Foundation

/// Where a page of commands ends: the received time with the id as a tiebreak.
public struct CommandCursor: Hashable, Comparable, Sendable {
    /// When the command was received, to the millisecond the store keeps.
    public var receivedAt: Date
    /// The command's id, which orders commands received in the same millisecond.
    public var id: CommandID

    /// The key of `record`: pass the last record of a newest-first page as ``CommandQuery/before``.
    public init(_ record: CommandRecord) {
        self.init(receivedAt: record.received.receivedAt, id: record.id)
    }

    /// A key from its parts.
    public init(receivedAt: Date, id: CommandID) {
        self.receivedAt = receivedAt
        self.id = id
    }

    /// Key order: oldest received first, then the smaller id.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.receivedAt, lhs.id) < (rhs.receivedAt, rhs.id)
    }
}
