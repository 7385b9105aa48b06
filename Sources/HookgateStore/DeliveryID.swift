/// The store's identifier of one delivery: unique and never reused. Ids are not in commit order (replicas
/// sharing one database commit them out of order), so reads order by ``DeliveryCursor``, not by id alone.
public struct DeliveryID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number the backend assigned (a SQLite rowid or a PostgreSQL `bigserial`).
    public let rawValue: Int64

    /// Wraps a number the store handed out earlier (e.g. typed by a user of the CLI).
    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
