import Logging
import PostgresNIO

extension PostgresDeliveryStore {
    /// How an applier takes the advisory locks of the deliveries it prepares.
    enum PreparationLocking {
        /// Waits for each lock, and also for those of `awaited` (deliveries a replica was preparing): a claim,
        /// which must see every received delivery prepared before it leases.
        case waiting(alsoFor: Set<DeliveryID>)
        /// Takes the locks that are free and leaves the deliveries whose lock a replica holds to that replica: a
        /// page prepared ahead of a claim.
        case skippingBusy
    }

    /// Applies the worker's decisions to deliveries still unprepared, in the caller's transaction, claiming the
    /// facts of their messages; a delivery prepared meanwhile (by a replica) is left as it is. Returns the
    /// deliveries left to a replica that was preparing them (``PreparationLocking/skippingBusy`` only).
    ///
    /// Appliers of the same deliveries are serialized by an advisory lock per delivery, held until commit and,
    /// when waited for, taken in id order (so two never wait on each other in a cycle); the deliveries still
    /// unprepared are read once those locks are held, in a new snapshot: of two replicas preparing one delivery,
    /// the second waits for the first (or leaves it to the first) and then finds it prepared. (Locking the rows
    /// themselves would also lock rows another replica prepared meanwhile, which a claim running then would
    /// skip.) The decisions are applied in the order given, so facts go to the first delivery claiming them in
    /// that order; a decision named twice counts once, the first time.
    static func apply(
        _ preparations: [PreparedDelivery],
        locking: PreparationLocking,
        nowMS: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> Set<DeliveryID> {
        var seen: Set<DeliveryID> = []
        var decisions = preparations.filter { seen.insert($0.id).inserted }
        var busy: Set<DeliveryID> = []
        switch locking {
        case .waiting(let awaited):
            let ids = seen.union(awaited).map(\.rawValue)
            guard !ids.isEmpty else { return [] }
            try await connection.run(
                """
                SELECT pg_advisory_xact_lock(\(preparationLockClass), (id % 2147483647)::integer)
                FROM (SELECT id FROM unnest(\(ids)::bigint[]) AS id ORDER BY id) AS sorted
                """,
                logger: logger
            )
        case .skippingBusy:
            guard !decisions.isEmpty else { return [] }
            for row in try await connection.rows(
                """
                SELECT id FROM unnest(\(decisions.map(\.id.rawValue))::bigint[]) AS id
                WHERE NOT pg_try_advisory_xact_lock(\(preparationLockClass), (id % 2147483647)::integer)
                """,
                logger: logger
            ) {
                busy.insert(DeliveryID(try row.decode(Int64.self)))
            }
            decisions.removeAll { busy.contains($0.id) }
        }
        guard !decisions.isEmpty else { return busy }
        let ids = decisions.map(\.id.rawValue)
        var replayCounts: [DeliveryID: Int] = [:]
        // By primary key only, the condition computed: as a WHERE clause, it would lead the planner to the
        // partial index of unprepared deliveries, walked whole under a backlog.
        for row in try await connection.rows(
            """
            SELECT id, replay_count, prepared_at_ms IS NULL AND state IN ('pending', 'delivering')
            FROM delivery WHERE id = ANY(\(ids)::bigint[])
            """,
            logger: logger
        ) {
            let (id, replayCount, unprepared) = try row.decode((Int64, Int, Bool).self)
            if unprepared { replayCounts[DeliveryID(id)] = replayCount }
        }
        var facts = FactClaims()
        let forwarding = decisions.compactMap { decision -> (DeliveryID, Bool, [OutboundMessage])? in
            guard let replayCount = replayCounts[decision.id], case .forward(let plan) = decision.preparation else {
                return nil
            }
            return (decision.id, replayCount == 0, plan.messages)
        }
        let outcomes = try await facts.claim(for: forwarding, on: connection, logger)
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
                let (kept, dropped) = outcomes[id] ?? (plan.messages, [])
                if !plan.messages.isEmpty && kept.isEmpty {
                    finished.append(id, as: .skipped, skipReason: dropped.joined(separator: "; "), lastError: nil)
                } else {
                    forwarded.append(id, plan: plan, messages: kept, replayed: replayCount > 0)
                }
            }
        }
        try await finished.write(nowMS: nowMS, on: connection, logger)
        try await forwarded.write(nowMS: nowMS, on: connection, logger)
        return busy
    }
}

/// The facts of a page of forwarded deliveries, claimed with a few statements for the whole page.
///
/// A fact belongs to the first delivery that claims it: the owners already stored are read at once, the
/// deliveries are walked in order (their earlier claims count for the later ones), and the new claims are
/// inserted in one statement. A replica claiming the same fact at the same time makes that insert wait for its
/// outcome on the primary key; a fact lost that way is seen by the next read, and the walk runs again with it.
private struct FactClaims {
    /// Facts this transaction inserted.
    private var inserted: Set<String> = []

    /// For each delivery (its id, whether the facts are enforced — an operator's replay forwards even what they
    /// would suppress — and its messages), the messages it may forward and why the others are dropped.
    mutating func claim(
        for deliveries: [(id: DeliveryID, enforcing: Bool, messages: [OutboundMessage])],
        on connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> [DeliveryID: (kept: [OutboundMessage], dropped: [String])] {
        let named = deliveries.flatMap(\.messages).flatMap { [$0.factKey, $0.supersededBy] }
        let keys = Array(Set(named.compactMap(\.self)))
        guard !keys.isEmpty else { return [:] }
        // Each pass settles at least one fact lost to a replica; a few passes are plenty.
        for _ in 0..<8 {
            var owners = try await Self.owners(of: keys, on: connection, logger)
            var outcomes: [DeliveryID: (kept: [OutboundMessage], dropped: [String])] = [:]
            var claims: [(fact: String, owner: Int64)] = []
            var keptFacts: Set<String> = []
            for (id, enforcing, messages) in deliveries {
                var kept: [OutboundMessage] = []
                var dropped: [String] = []
                for message in messages {
                    if enforcing, let superseding = message.supersededBy, let owner = owners[superseding],
                        owner != id.rawValue
                    {
                        dropped.append("superseded: \(superseding) arrived first (delivery \(owner))")
                        continue
                    }
                    if let fact = message.factKey {
                        if let owner = owners[fact] {
                            if enforcing && owner != id.rawValue {
                                dropped.append("duplicate fact: \(fact) is forwarded by delivery \(owner)")
                                continue
                            }
                        } else {
                            owners[fact] = id.rawValue
                            claims.append((fact, id.rawValue))
                        }
                        keptFacts.insert(fact)
                    }
                    kept.append(message)
                }
                outcomes[id] = (kept, dropped)
            }
            let won = try await insert(claims, on: connection, logger)
            if won == claims.count {
                try await drop(inserted.filter { !keptFacts.contains($0) }, on: connection, logger)
                return outcomes
            }
        }
        throw StoreError.storeUnavailable(detail: "facts kept being claimed by other replicas")
    }

    /// The stored owner of each of `keys` that has one (this transaction's claims included).
    private static func owners(
        of keys: [String],
        on connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> [String: Int64] {
        var owners: [String: Int64] = [:]
        for row in try await connection.rows(
            "SELECT fact_key, delivery_id FROM delivery_fact WHERE fact_key = ANY(\(keys)::text[])",
            logger: logger
        ) {
            let (fact, owner) = try row.decode((String, Int64).self)
            owners[fact] = owner
        }
        return owners
    }

    /// Inserts `claims` (facts nobody owned at the last read) and returns how many this transaction won.
    private mutating func insert(
        _ claims: [(fact: String, owner: Int64)],
        on connection: PostgresConnection,
        _ logger: Logger
    ) async throws -> Int {
        guard !claims.isEmpty else { return 0 }
        // In key order, so two replicas claiming overlapping facts wait on each other's in one order (a cycle
        // would be a deadlock, which PostgreSQL breaks by aborting one of them).
        let claims = claims.sorted { $0.fact < $1.fact }
        let won = try await connection.rows(
            """
            INSERT INTO delivery_fact (fact_key, delivery_id)
            SELECT * FROM unnest(\(claims.map(\.fact))::text[], \(claims.map(\.owner))::bigint[]) ORDER BY 1
            ON CONFLICT DO NOTHING
            RETURNING fact_key
            """,
            logger: logger
        )
        for row in won { inserted.insert(try row.decode(String.self)) }
        return won.count
    }

    /// Removes `facts`, which an earlier pass inserted for messages the last pass dropped (superseded meanwhile
    /// by a replica's fact), so that they do not suppress a later delivery.
    private func drop(_ facts: [String], on connection: PostgresConnection, _ logger: Logger) async throws {
        guard !facts.isEmpty else { return }
        try await connection.run("DELETE FROM delivery_fact WHERE fact_key = ANY(\(facts)::text[])", logger: logger)
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
    /// The replayed ones: only they can have messages from an earlier preparation.
    var replayedIDs: [Int64] = []
    /// Every kept message: its delivery, its position, the message.
    var messages: [(Int64, Int32, OutboundMessage)] = []

    mutating func append(_ id: DeliveryID, plan: OutboundPlan, messages kept: [OutboundMessage], replayed: Bool) {
        ids.append(id.rawValue)
        if replayed { replayedIDs.append(id.rawValue) }
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
        if !replayedIDs.isEmpty {
            try await connection.run(
                "DELETE FROM delivery_message WHERE delivery_id = ANY(\(replayedIDs)::bigint[])",
                logger: logger
            )
        }
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
