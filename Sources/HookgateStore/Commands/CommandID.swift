/// The store's identifier of one command: unique and never reused, not in commit order.
public struct CommandID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number the backend assigned (a SQLite rowid or a PostgreSQL `bigserial`).
    public let rawValue: Int64

    /// Wraps a number the store handed out earlier (e.g. typed by a user of the CLI).
    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
