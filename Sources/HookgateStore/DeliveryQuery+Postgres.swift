import PostgresNIO

extension DeliveryQuery {
    /// The query's filters as a `WHERE` clause on `delivery` (empty when nothing is filtered) with their values
    /// bound as `$1`, `$2`, ...; the caller appends further conditions and the limit.
    var postgresFilter: (conditions: [String], binds: PostgresBindings) {
        PostgresFilter.conditions(
            [
                ("endpoint", "=", endpoint), ("state", "=", state?.rawValue), ("event_type", "=", eventType),
                ("event_id", "=", eventID), ("catalog_type", "=", catalogType), ("subject", "=", subject),
                ("received_at_ms", ">=", receivedFrom?.unixMilliseconds),
                ("received_at_ms", "<", receivedBefore?.unixMilliseconds),
            ],
            before: before.map { ($0.receivedAt, $0.id.rawValue) }
        )
    }
}

extension Array where Element == String {
    /// `WHERE a AND b ...`, or nothing for no conditions.
    var sqlWhereClause: String {
        isEmpty ? "" : "WHERE " + joined(separator: " AND ")
    }
}
