import Logging
import PostgresNIO

extension PostgresDeliveryStore {
    /// Applies the worker's decisions to deliveries still unprepared, in the caller's transaction, claiming the
    /// facts of their messages; a delivery prepared meanwhile (by a replica) is left as it is.
    ///
    /// Appliers of the same deliveries are serialized by an advisory lock per delivery, taken in id order (so
    /// two never wait on each other in a cycle) and held until commit; the deliveries still unprepared are read
    /// once those locks are held, in a new snapshot: of two replicas preparing one delivery, the second waits
    /// for the first and then finds it prepared. (Locking the rows themselves would also lock rows another
    /// replica prepared meanwhile, which a claim running then would skip.) The decisions are applied in the order
    /// given, so facts go to the first delivery claiming them in that order; a decision named twice counts once,
    /// the first time.
    static func apply(
        _ preparations: [PreparedDelivery],
        nowMS: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        var seen: Set<DeliveryID> = []
        let decisions = preparations.filter { seen.insert($0.id).inserted }
        guard !decisions.isEmpty else { return }
        let ids = decisions.map(\.id.rawValue)
        try await connection.run(
            """
            SELECT pg_advisory_xact_lock(\(preparationLockClass), (id % 2147483647)::integer)
            FROM (SELECT id FROM unnest(\(ids)::bigint[]) AS id ORDER BY id) AS sorted
            """,
            logger: logger
        )
        var replayCounts: [DeliveryID: Int] = [:]
        for row in try await connection.rows(
            """
            SELECT id, replay_count FROM delivery
            WHERE id = ANY(\(ids)::bigint[]) AND prepared_at_ms IS NULL AND state IN ('pending', 'delivering')
            """,
            logger: logger
        ) {
            let (id, replayCount) = try row.decode((Int64, Int).self)
            replayCounts[DeliveryID(id)] = replayCount
        }
        for decision in decisions {
            guard let replayCount = replayCounts[decision.id] else { continue }
            let id = decision.id
            switch decision.preparation {
            case .skip(let reason):
                try await finish(
                    id,
                    as: .skipped,
                    skipReason: reason,
                    lastError: nil,
                    nowMS: nowMS,
                    on: connection,
                    logger
                )
            case .reject(let error):
                try await finish(id, as: .dead, skipReason: nil, lastError: error, nowMS: nowMS, on: connection, logger)
            case .forward(let plan):
                // An operator's replay forwards even what the facts would suppress.
                let (kept, dropped) = try await claimFacts(
                    of: plan.messages,
                    for: id,
                    enforcing: replayCount == 0,
                    on: connection,
                    logger
                )
                if !plan.messages.isEmpty && kept.isEmpty {
                    let reason = dropped.joined(separator: "; ")
                    try await finish(
                        id,
                        as: .skipped,
                        skipReason: reason,
                        lastError: nil,
                        nowMS: nowMS,
                        on: connection,
                        logger
                    )
                    continue
                }
                try await connection.run(
                    "DELETE FROM delivery_message WHERE delivery_id = \(id.rawValue)",
                    logger: logger
                )
                if !kept.isEmpty {
                    try await connection.run(try messagesInsert(kept, for: id), logger: logger)
                }
                try await connection.run(
                    """
                    UPDATE delivery
                    SET prepared_at_ms = \(nowMS), ordering_key = \(plan.orderingKey)::text,
                        catalog_type = \(plan.catalogType)::text, subject = \(plan.subject)::text, skip_reason = NULL
                    WHERE id = \(id.rawValue)
                    """,
                    logger: logger
                )
            }
        }
    }

    /// One multi-row insert of a delivery's messages, in order.
    private static func messagesInsert(_ messages: [OutboundMessage], for id: DeliveryID) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: messages.count * 4)
        var rows: [String] = []
        for (position, message) in messages.enumerated() {
            let first = binds.count + 1
            binds.append(id.rawValue)
            binds.append(Int32(position))
            binds.append(message.contentType)
            try binds.append(message.body)
            rows.append("($\(first)::bigint, $\(first + 1)::integer, $\(first + 2)::text, $\(first + 3)::bytea)")
        }
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO delivery_message (delivery_id, position, content_type, body)
                VALUES \(rows.joined(separator: ", "))
                """,
            binds: binds
        )
    }

    /// The messages whose facts this delivery may forward, and why the others are dropped.
    ///
    /// A fact is claimed by inserting its row: a replica claiming the same fact at the same time waits for this
    /// transaction's outcome on the primary key, and the one that commits first owns it.
    private static func claimFacts(
        of messages: [OutboundMessage],
        for id: DeliveryID,
        enforcing: Bool,
        on connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> (kept: [OutboundMessage], dropped: [String]) {
        var kept: [OutboundMessage] = []
        var dropped: [String] = []
        for message in messages {
            if enforcing, let superseding = message.supersededBy,
                let owner = try await factOwner(superseding, on: connection, logger), owner != id.rawValue
            {
                dropped.append("superseded: \(superseding) arrived first (delivery \(owner))")
                continue
            }
            if let fact = message.factKey {
                let claimed = try await connection.rows(
                    """
                    INSERT INTO delivery_fact (fact_key, delivery_id) VALUES (\(fact), \(id.rawValue))
                    ON CONFLICT DO NOTHING RETURNING delivery_id
                    """,
                    logger: logger
                )
                if enforcing, claimed.isEmpty, let owner = try await factOwner(fact, on: connection, logger),
                    owner != id.rawValue
                {
                    dropped.append("duplicate fact: \(fact) is forwarded by delivery \(owner)")
                    continue
                }
            }
            kept.append(message)
        }
        return (kept, dropped)
    }

    private static func factOwner(
        _ fact: String,
        on connection: PostgresConnection,
        _ logger: Logger
    ) async throws
        -> Int64?
    {
        try await connection.rows("SELECT delivery_id FROM delivery_fact WHERE fact_key = \(fact)", logger: logger)
            .first?.decode(Int64.self)
    }

    /// Ends an unprepared delivery without forwarding it.
    private static func finish(
        _ id: DeliveryID,
        as state: DeliveryState,
        skipReason: String?,
        lastError: String?,
        nowMS: Int64,
        on connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        try await connection.run(
            """
            UPDATE delivery
            SET state = \(state.rawValue), prepared_at_ms = \(nowMS), skip_reason = \(skipReason)::text,
                last_error = COALESCE(\(lastError)::text, last_error),
                next_attempt_at_ms = NULL, lease_token = NULL, lease_expires_at_ms = NULL, updated_at_ms = \(nowMS)
            WHERE id = \(id.rawValue)
            """,
            logger: logger
        )
    }
}
