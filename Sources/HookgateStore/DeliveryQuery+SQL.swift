import GRDB

extension DeliveryQuery {
    /// The query's filters as an SQL `WHERE` clause on `delivery` (empty when nothing is filtered) and its
    /// arguments; the limit is left to the caller.
    var whereClause: (sql: String, arguments: StatementArguments) {
        SQLFilter.whereClause(
            [
                ("endpoint = ?", endpoint), ("state = ?", state?.rawValue), ("event_type = ?", eventType),
                ("event_id = ?", eventID), ("catalog_type = ?", catalogType), ("subject = ?", subject),
                ("received_at_ms >= ?", receivedFrom?.unixMilliseconds),
                ("received_at_ms < ?", receivedBefore?.unixMilliseconds),
            ],
            before: before.map { ($0.receivedAt, $0.id.rawValue) }
        )
    }
}
