import GRDB

extension DeliveryQuery {
    /// The query's filters as an SQL `WHERE` clause on `delivery` (empty when nothing is filtered) and its
    /// arguments; the limit is left to the caller.
    var whereClause: (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        func filter(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append(condition)
            arguments += [value]
        }
        filter("endpoint = ?", endpoint)
        filter("state = ?", state?.rawValue)
        filter("event_type = ?", eventType)
        filter("event_id = ?", eventID)
        filter("catalog_type = ?", catalogType)
        filter("subject = ?", subject)
        filter("received_at_ms >= ?", receivedFrom?.unixMilliseconds)
        filter("received_at_ms < ?", receivedBefore?.unixMilliseconds)
        if let before {
            conditions.append("(received_at_ms, id) < (?, ?)")
            arguments += [before.receivedAt.unixMilliseconds, before.id.rawValue]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
