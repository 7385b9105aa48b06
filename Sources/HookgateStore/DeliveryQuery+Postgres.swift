import PostgresNIO

extension DeliveryQuery {
    /// The query's filters as a `WHERE` clause on `delivery` (empty when nothing is filtered) with their values
    /// bound as `$1`, `$2`, ...; the caller appends further conditions and the limit.
    var postgresFilter: (conditions: [String], binds: PostgresBindings) {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func filter<Value: PostgresDynamicTypeEncodable>(_ column: String, _ comparison: String, _ value: Value?) {
            guard let value else { return }
            binds.append(value)
            conditions.append("\(column) \(comparison) $\(binds.count)")
        }
        filter("endpoint", "=", endpoint)
        filter("state", "=", state?.rawValue)
        filter("event_type", "=", eventType)
        filter("event_id", "=", eventID)
        filter("catalog_type", "=", catalogType)
        filter("subject", "=", subject)
        filter("received_at_ms", ">=", receivedFrom?.unixMilliseconds)
        filter("received_at_ms", "<", receivedBefore?.unixMilliseconds)
        if let before {
            binds.append(before.receivedAt.unixMilliseconds)
            binds.append(before.id.rawValue)
            conditions.append("(received_at_ms, id) < ($\(binds.count - 1), $\(binds.count))")
        }
        return (conditions, binds)
    }
}

extension Array where Element == String {
    /// `WHERE a AND b ...`, or nothing for no conditions.
    var sqlWhereClause: String {
        isEmpty ? "" : "WHERE " + joined(separator: " AND ")
    }
}
