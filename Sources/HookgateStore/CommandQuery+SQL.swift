import GRDB

extension CommandQuery {
    /// The query's filters as an SQL `WHERE` clause on `commands` (empty when nothing is filtered) and its
    /// arguments; the order and the limit are left to the caller.
    var whereClause: (sql: String, arguments: StatementArguments) {
        SQLFilter.whereClause(
            [
                ("state = ?", state?.rawValue), ("kind = ?", kind), ("command_id = ?", commandID),
                ("subject = ?", subject), ("stripe_object_id = ?", stripeObjectID),
                ("received_at_ms >= ?", receivedFrom?.unixMilliseconds),
                ("received_at_ms < ?", receivedBefore?.unixMilliseconds),
            ],
            before: before.map { ($0.receivedAt, $0.id.rawValue) }
        )
    }
}
