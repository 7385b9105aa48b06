public import Foundation
import Logging
import PostgresNIO

/// The command store on PostgreSQL: appends are group-committed like deliveries' (``commandCommitter``), each
/// batch one transaction in which the unique CloudEvent id settles a race between replicas; claims lock rows with
/// `FOR UPDATE SKIP LOCKED` and commit lazily like deliveries' leases; completions and requeues are durable
/// transactions of their own.
extension PostgresDeliveryStore: CommandStore {
    public func appendCommand(_ command: NewCommand) async throws(StoreError) -> CommandAppendResult {
        try await commandCommitter.submit(command)
    }

    public func claimDueCommands(
        now: Date,
        leaseDuration: Duration,
        limit: Int
    ) async throws(StoreError) -> [CommandLease] {
        let token = Self.leaseTokenPrefix + UUID().uuidString
        let nowMS = now.unixMilliseconds
        let expiresMS = nowMS + leaseDuration.milliseconds
        let logger = self.logger
        // A row another replica is leasing is skipped; one it leased meanwhile is no longer due when rechecked.
        let claimed = try await pool.transaction(.lazy, logger: logger) { connection in
            try await connection.rows(
                """
                UPDATE commands
                SET state = 'delivering', lease_token = \(token), lease_expires_at_ms = \(expiresMS),
                    due_at_ms = \(expiresMS), updated_at_ms = \(nowMS)
                WHERE id IN (
                    SELECT id FROM commands
                    WHERE state IN ('pending', 'delivering') AND due_at_ms <= \(nowMS)
                    ORDER BY due_at_ms, id
                    LIMIT \(Int64(max(0, limit)))
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """,
                logger: logger
            ).map(Self.command(from:))
        }
        let expiresAt = Date(unixMilliseconds: expiresMS)
        return claimed.sorted { $0.id < $1.id }.map { CommandLease(record: $0, token: token, expiresAt: expiresAt) }
    }

    public func completeCommandAttempt(
        _ lease: CommandLease,
        report: CommandAttemptReport,
        outcome: AttemptOutcome,
        stripeObject: StripeObjectReference?
    ) async throws(StoreError) {
        let id = lease.record.id.rawValue
        let token = lease.token
        let transition = CommandTransition(report: report, outcome: outcome)
        let status = report.status.map { Int32(clamping: $0) }
        let nowMS = Date().unixMilliseconds
        let logger = self.logger
        let recorded = try await pool.transaction(logger: logger) { connection -> Bool in
            // Only the current lease holder may finish the attempt.
            guard
                let row = try await connection.rows(
                    """
                    UPDATE commands
                    SET state = \(transition.state.rawValue), attempt_count = attempt_count + 1,
                        due_at_ms = \(transition.nextAttempt?.unixMilliseconds), lease_token = NULL,
                        lease_expires_at_ms = NULL, last_status = \(status), last_error = \(report.error),
                        stripe_object_id = coalesce(\(stripeObject?.id), stripe_object_id),
                        stripe_object_status = CASE WHEN \(stripeObject?.id)::text IS NULL THEN stripe_object_status
                            ELSE \(stripeObject?.status) END,
                        updated_at_ms = \(nowMS)
                    WHERE id = \(id) AND state = 'delivering' AND lease_token = \(token)
                    RETURNING attempt_count
                    """,
                    logger: logger
                ).first
            else { return false }
            let number = try row.decode(Int32.self)
            try await connection.run(
                """
                INSERT INTO command_attempts (
                    command, number, started_at_ms, duration_us, status, request_id, idempotent_replayed, response,
                    error)
                VALUES (
                    \(id), \(number), \(report.startedAt.unixMilliseconds), \(report.duration.microseconds),
                    \(status), \(report.requestID), \(report.idempotentReplayed), \(transition.response),
                    \(report.error))
                """,
                logger: logger
            )
            return true
        }
        guard recorded else { throw StoreError.leaseLost(lease.record.id) }
    }

    public func requeueCommand(_ id: CommandID, now: Date) async throws(StoreError) {
        let nowMS = now.unixMilliseconds
        let requeued = try await pool.rows(
            """
            UPDATE commands SET state = 'pending', due_at_ms = \(nowMS), updated_at_ms = \(nowMS)
            WHERE id = \(id.rawValue) AND state = 'dead'
            RETURNING id
            """,
            logger: logger
        )
        guard requeued.isEmpty else {
            commandSignal.notify()
            return
        }
        let exists = try await pool.rows("SELECT 1 FROM commands WHERE id = \(id.rawValue)", logger: logger)
        throw exists.isEmpty ? StoreError.deliveryNotFound(id) : StoreError.deliveryBusy(id)
    }

    public func commandsAvailable() -> AsyncStream<Void> {
        commandSignal.subscribe()
    }

    /// The group committer of ``appendCommand(_:)``: each batch is one transaction, and waits at most the
    /// operation timeout (as delivery appends do); a stored command hints `signal`.
    static func commandCommitter(
        pool: PostgresPool,
        configuration: Configuration,
        signal: WorkSignal,
        logger: Logger
    ) -> GroupCommitter<NewCommand, CommandAppendResult> {
        GroupCommitter(
            maxBatchSize: configuration.maxBatchSize,
            queueCapacity: configuration.queueCapacity,
            waitLimit: configuration.operationTimeout
        ) { (batch: [NewCommand]) async throws(StoreError) -> [CommandAppendResult] in
            // In id order, so two replicas inserting overlapping batches wait on each other's ids in one order (a
            // cycle would be a deadlock, which PostgreSQL breaks by aborting one of them).
            let order = batch.indices.sorted { batch[$0].commandID < batch[$1].commandID }
            let results = try await pool.transaction(logger: logger) { connection in
                var results = [CommandAppendResult?](repeating: nil, count: batch.count)
                for index in order { results[index] = try await insert(batch[index], on: connection, logger: logger) }
                return results.compactMap { $0 }
            }
            if results.contains(where: { if case .stored = $0 { true } else { false } }) { signal.notify() }
            return results
        }
    }

    /// Stores `command` unless its CloudEvent id exists, in the caller's transaction. A replica inserting the same
    /// id at the same time makes the insert wait for its outcome; the read that follows (a new snapshot) sees it.
    private static func insert(
        _ command: NewCommand,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> CommandAppendResult {
        let request = command.request
        let receivedMS = command.receivedAt.unixMilliseconds
        let inserted = try await connection.rows(
            """
            INSERT INTO commands (
                command_id, kind, source, subject, received_at_ms, body, request_method, request_path, request_form,
                idempotency_key, state, due_at_ms, updated_at_ms)
            VALUES (
                \(command.commandID), \(command.kind), \(command.source), \(command.subject), \(receivedMS),
                \(command.body), \(request.method), \(request.path), \(request.form), \(request.idempotencyKey),
                'pending', \(receivedMS), \(receivedMS))
            ON CONFLICT (command_id) DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        if let row = inserted.first { return .stored(CommandID(try row.decode(Int64.self))) }
        guard
            let row = try await connection.rows(
                """
                SELECT id, request_method, request_path, request_form, idempotency_key FROM commands
                WHERE command_id = \(command.commandID)
                """,
                logger: logger
            ).first
        else { throw StoreError.storeUnavailable(detail: "command conflict without an existing row") }
        let (id, method, path, form, key) = try row.decode((Int64, String, String, Data, String).self)
        let stored = StripeRequest(method: method, path: path, form: form, idempotencyKey: key)
        return stored == request ? .duplicate(CommandID(id)) : .conflict(CommandID(id))
    }
}

/// The store's command reads, on its pool's connections (see ``CommandReader``).
extension PostgresDeliveryStore {
    public func commands(matching query: CommandQuery) async throws(StoreError) -> [CommandRecord] {
        try await read { connection, logger in try await Self.commands(matching: query, on: connection, logger: logger)
        }
    }

    public func countCommands(matching query: CommandQuery) async throws(StoreError) -> Int {
        try await read { connection, logger in
            try await Self.countCommands(matching: query, on: connection, logger: logger)
        }
    }

    public func command(_ id: CommandID) async throws(StoreError) -> CommandDetail? {
        try await read { connection, logger in try await Self.commandDetail(id: id, on: connection, logger: logger) }
    }

    public func command(commandID: String) async throws(StoreError) -> CommandDetail? {
        try await read { connection, logger in
            try await Self.commandDetail(id: nil, commandID: commandID, on: connection, logger: logger)
        }
    }
}
