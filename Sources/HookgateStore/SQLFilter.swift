import Foundation
import GRDB

/// Builds the `WHERE` clause of a list on a table ordered by `(received_at_ms, id)` (deliveries, commands).
enum SQLFilter {
    /// The conditions whose value is not nil, and the keyset condition of `before`, as a `WHERE` clause (empty
    /// when none) with their arguments in order.
    /// - Parameters:
    ///   - filters: Each a condition with one `?` and its value; a nil value filters nothing.
    ///   - before: Only rows whose key `(received_at_ms, id)` comes before this one.
    static func whereClause(
        _ filters: [(condition: String, value: (any DatabaseValueConvertible)?)],
        before: (receivedAt: Date, id: Int64)?
    ) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        for (condition, value) in filters {
            guard let value else { continue }
            conditions.append(condition)
            arguments += [value]
        }
        if let before {
            conditions.append("(received_at_ms, id) < (?, ?)")
            arguments += [before.receivedAt.unixMilliseconds, before.id]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
