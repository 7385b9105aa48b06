import PostgresNIO

extension CommandQuery {
    /// The query's filters as conditions on `commands` with their values bound as `$1`, `$2`, ...; the caller
    /// appends further conditions, the order and the limit.
    var postgresFilter: (conditions: [String], binds: PostgresBindings) {
        PostgresFilter.conditions(
            [
                ("state", "=", state?.rawValue), ("kind", "=", kind), ("command_id", "=", commandID),
                ("subject", "=", subject), ("stripe_object_id", "=", stripeObjectID),
                ("received_at_ms", ">=", receivedFrom?.unixMilliseconds),
                ("received_at_ms", "<", receivedBefore?.unixMilliseconds),
            ],
            before: before.map { ($0.receivedAt, $0.id.rawValue) }
        )
    }
}
