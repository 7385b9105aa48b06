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
        var finished = FinishedDeliveries()
        var forwarded = ForwardedDeliveries()
        for decision in decisions {
            guard let replayCount = replayCounts[decision.id] else { continue }
            let id = decision.id
            switch decision.preparation {
            case .skip(let reason):
                finished.append(id, as: .skipped, skipReason: reason, lastError: nil)
            case .reject(let error):
                finished.append(id, as: .dead, skipReason: nil, lastError: error)
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
                    finished.append(id, as: .skipped, skipReason: dropped.joined(separator: "; "), lastError: nil)
                } else {
                    forwarded.append(id, plan: plan, messages: kept)
                }
            }
        }
        try await finished.write(nowMS: nowMS, on: connection, logger)
        try await forwarded.write(nowMS: nowMS, on: connection, logger)
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
}

/// Deliveries a preparation ends without forwarding (skipped or dead), written by one statement.
private struct FinishedDeliveries {
    var ids: [Int64] = []
    var states: [String] = []
    var skipReasons: [String] = []
    var hasSkipReason: [Bool] = []
    var lastErrors: [String] = []
    var hasLastError: [Bool] = []

    mutating func append(_ id: DeliveryID, as state: DeliveryState, skipReason: String?, lastError: String?) {
        ids.append(id.rawValue)
        states.append(state.rawValue)
        skipReasons.append(skipReason ?? "")
        hasSkipReason.append(skipReason != nil)
        lastErrors.append(lastError ?? "")
        hasLastError.append(lastError != nil)
    }

    /// Ends them: the state, the reason kept, the last error replaced only by a new one, nothing due or leased.
    /// (Arrays cannot bind NULL elements, so each optional value comes with a flag.)
    func write(nowMS: Int64, on connection: PostgresConnection, _ logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.run(
            """
            UPDATE delivery
            SET state = f.state, prepared_at_ms = \(nowMS),
                skip_reason = CASE WHEN f.has_skip_reason THEN f.skip_reason END,
                last_error = CASE WHEN f.has_last_error THEN f.last_error ELSE delivery.last_error END,
                next_attempt_at_ms = NULL, lease_token = NULL, lease_expires_at_ms = NULL, updated_at_ms = \(nowMS)
            FROM unnest(\(ids)::bigint[], \(states)::text[], \(skipReasons)::text[], \(hasSkipReason)::boolean[],
                \(lastErrors)::text[], \(hasLastError)::boolean[])
                AS f(id, state, skip_reason, has_skip_reason, last_error, has_last_error)
            WHERE delivery.id = f.id
            """,
            logger: logger
        )
    }
}

/// Deliveries a preparation forwards, with the messages they keep, written by a few statements for all of them.
private struct ForwardedDeliveries {
    var ids: [Int64] = []
    var orderingKeys: [String] = []
    var hasOrderingKey: [Bool] = []
    var catalogTypes: [String] = []
    var hasCatalogType: [Bool] = []
    var subjects: [String] = []
    var hasSubject: [Bool] = []
    /// Every kept message: its delivery, its position, the message.
    var messages: [(Int64, Int32, OutboundMessage)] = []

    mutating func append(_ id: DeliveryID, plan: OutboundPlan, messages kept: [OutboundMessage]) {
        ids.append(id.rawValue)
        orderingKeys.append(plan.orderingKey ?? "")
        hasOrderingKey.append(plan.orderingKey != nil)
        catalogTypes.append(plan.catalogType ?? "")
        hasCatalogType.append(plan.catalogType != nil)
        subjects.append(plan.subject ?? "")
        hasSubject.append(plan.subject != nil)
        for (position, message) in kept.enumerated() { messages.append((id.rawValue, Int32(position), message)) }
    }

    /// Replaces their messages (a replay's earlier ones go) and stores what they were prepared with.
    func write(nowMS: Int64, on connection: PostgresConnection, _ logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.run(
            "DELETE FROM delivery_message WHERE delivery_id = ANY(\(ids)::bigint[])",
            logger: logger
        )
        // At most 4 binds per message: chunks of 1,000 stay far below PostgreSQL's 65,535.
        var start = 0
        while start < messages.count {
            let chunk = messages[start..<min(start + 1000, messages.count)]
            try await connection.run(try Self.insert(chunk), logger: logger)
            start += chunk.count
        }
        try await connection.run(
            """
            UPDATE delivery
            SET prepared_at_ms = \(nowMS),
                ordering_key = CASE WHEN f.has_ordering_key THEN f.ordering_key END,
                catalog_type = CASE WHEN f.has_catalog_type THEN f.catalog_type END,
                subject = CASE WHEN f.has_subject THEN f.subject END,
                skip_reason = NULL
            FROM unnest(\(ids)::bigint[], \(orderingKeys)::text[], \(hasOrderingKey)::boolean[],
                \(catalogTypes)::text[], \(hasCatalogType)::boolean[], \(subjects)::text[], \(hasSubject)::boolean[])
                AS f(id, ordering_key, has_ordering_key, catalog_type, has_catalog_type, subject, has_subject)
            WHERE delivery.id = f.id
            """,
            logger: logger
        )
    }

    /// One multi-row insert of messages.
    private static func insert(_ messages: ArraySlice<(Int64, Int32, OutboundMessage)>) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: messages.count * 4)
        var rows: [String] = []
        for (id, position, message) in messages {
            let first = binds.count + 1
            binds.append(id)
            binds.append(position)
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
}
