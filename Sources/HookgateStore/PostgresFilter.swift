import Foundation
import PostgresNIO

/// Builds the conditions of a list on a table ordered by `(received_at_ms, id)` (deliveries, commands), with
/// their values bound as `$1`, `$2`, ...
enum PostgresFilter {
    /// The conditions whose value is not nil, and the keyset condition of `before`.
    /// - Parameters:
    ///   - filters: Each a column, a comparison and its value; a nil value filters nothing.
    ///   - before: Only rows whose key `(received_at_ms, id)` comes before this one.
    static func conditions(
        _ filters: [(column: String, comparison: String, value: (any PostgresDynamicTypeEncodable)?)],
        before: (receivedAt: Date, id: Int64)?
    ) -> (conditions: [String], binds: PostgresBindings) {
        var conditions: [String] = []
        var binds = PostgresBindings()
        for (column, comparison, value) in filters {
            guard let value else { continue }
            binds.append(value)
            conditions.append("\(column) \(comparison) $\(binds.count)")
        }
        if let before {
            binds.append(before.receivedAt.unixMilliseconds)
            binds.append(before.id)
            conditions.append("(received_at_ms, id) < ($\(binds.count - 1), $\(binds.count))")
        }
        return (conditions, binds)
    }

    /// Every column of the rows of `table` that meet `filter`'s conditions, newest first (by `received_at_ms`,
    /// then `id`), at most `limit` of them.
    static func newestFirst(
        from table: String,
        _ filter: (conditions: [String], binds: PostgresBindings),
        limit: Int
    ) -> PostgresQuery {
        var binds = filter.binds
        binds.append(Int64(max(0, limit)))
        let sql = """
            SELECT * FROM \(table) \(filter.conditions.sqlWhereClause)
            ORDER BY received_at_ms DESC, id DESC LIMIT $\(binds.count)
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// How many rows of `table` meet `filter`'s conditions: one row, one `bigint`.
    static func count(from table: String, _ filter: (conditions: [String], binds: PostgresBindings)) -> PostgresQuery {
        PostgresQuery(
            unsafeSQL: "SELECT count(*) FROM \(table) \(filter.conditions.sqlWhereClause)",
            binds: filter.binds
        )
    }
}
