public import Foundation
import GRDB

/// The command store on the SQLite file: appends are group-committed on GRDB's writer queue like deliveries'
/// (``commandCommitter``), leases are written without an fsync like deliveries' (a lease lost in a power cut is
/// claimed again), completions and requeues are durable transactions of their own.
extension SQLiteDeliveryStore: CommandStore {
    public func appendCommand(_ command: NewCommand) async throws(StoreError) -> CommandAppendResult {
        try await commandCommitter.submit(command)
    }

    public func claimDueCommands(
        now: Date,
        leaseDuration: Duration,
        limit: Int
    ) async throws(StoreError) -> [CommandLease] {
        let token = UUID().uuidString
        let nowMS = now.unixMilliseconds
        let expiresMS = nowMS + leaseDuration.milliseconds
        // One statement selects the due rows and leases them, so two claims never get the same row. Without
        // statistics the planner would read every pending row by `commands_state_received` and sort them (a
        // backlog of retries waiting on Stripe made each claim read all of it); the due index reads the due ones.
        let claimed = try await writeWithoutSync { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE commands
                    SET state = 'delivering', lease_token = :token, lease_expires_at_ms = :expires,
                        due_at_ms = :expires, updated_at_ms = :now
                    WHERE id IN (
                        SELECT id FROM commands INDEXED BY commands_due
                        WHERE state IN ('pending', 'delivering') AND due_at_ms <= :now
                        ORDER BY due_at_ms, id LIMIT :limit)
                    RETURNING \(Self.commandColumns)
                    """,
                arguments: ["token": token, "expires": expiresMS, "now": nowMS, "limit": max(0, limit)]
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
        let id = lease.record.id
        let transition = CommandTransition(report: report, outcome: outcome)
        let nowMS = Date().unixMilliseconds
        let recorded = try await write { db -> Bool in
            // Only the current lease holder may finish the attempt.
            guard
                let number = try Int.fetchOne(
                    db,
                    sql: """
                        UPDATE commands
                        SET state = ?, attempt_count = attempt_count + 1, due_at_ms = ?, lease_token = NULL,
                            lease_expires_at_ms = NULL, last_status = ?, last_error = ?,
                            stripe_object_id = coalesce(?, stripe_object_id),
                            stripe_object_status = CASE WHEN ? IS NULL THEN stripe_object_status ELSE ? END,
                            updated_at_ms = ?
                        WHERE id = ? AND state = 'delivering' AND lease_token = ?
                        RETURNING attempt_count
                        """,
                    arguments: [
                        transition.state.rawValue, transition.nextAttempt?.unixMilliseconds, report.status,
                        report.error, stripeObject?.id, stripeObject?.id, stripeObject?.status, nowMS, id.rawValue,
                        lease.token,
                    ]
                )
            else { return false }
            try db.execute(
                sql: """
                    INSERT INTO command_attempts (
                        command, number, started_at_ms, duration_us, status, request_id, idempotent_replayed,
                        response, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id.rawValue, number, report.startedAt.unixMilliseconds, report.duration.microseconds,
                    report.status, report.requestID, report.idempotentReplayed, transition.response, report.error,
                ]
            )
            return true
        }
        guard recorded else { throw StoreError.leaseLost(id) }
    }

    public func requeueCommand(_ id: CommandID, now: Date) async throws(StoreError) {
        let nowMS = now.unixMilliseconds
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE commands SET state = 'pending', due_at_ms = ?, updated_at_ms = ?
                    WHERE id = ? AND state = 'dead'
                    """,
                arguments: [nowMS, nowMS, id.rawValue]
            )
            guard db.changesCount == 0 else { return }
            let exists =
                try Bool.fetchOne(db, sql: "SELECT 1 FROM commands WHERE id = ?", arguments: [id.rawValue]) ?? false
            throw exists ? StoreError.deliveryBusy(id) : StoreError.deliveryNotFound(id)
        }
        commandSignal.notify()
    }

    public func commandsAvailable() -> AsyncStream<Void> {
        commandSignal.subscribe()
    }

    /// The group committer of ``appendCommand(_:)``: each batch is one write transaction; a stored command hints
    /// `signal`.
    static func commandCommitter(
        pool: DatabasePool,
        configuration: Configuration,
        signal: WorkSignal
    ) -> GroupCommitter<NewCommand, CommandAppendResult> {
        GroupCommitter(maxBatchSize: configuration.maxBatchSize, queueCapacity: configuration.queueCapacity) {
            (batch: [NewCommand]) async throws(StoreError) -> [CommandAppendResult] in
            let results = try await write(to: pool) { db in try batch.map { try insert($0, into: db) } }
            if results.contains(where: { if case .stored = $0 { true } else { false } }) { signal.notify() }
            return results
        }
    }

    /// Stores `command` unless its CloudEvent id exists, in the caller's transaction.
    private static func insert(_ command: NewCommand, into db: Database) throws -> CommandAppendResult {
        let request = command.request
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT id, request_method, request_path, request_form, idempotency_key FROM commands
                WHERE command_id = ?
                """,
            arguments: [command.commandID]
        ) {
            let id = CommandID(row[0])
            let stored = StripeRequest(method: row[1], path: row[2], form: row[3], idempotencyKey: row[4])
            return stored == request ? .duplicate(id) : .conflict(id)
        }
        let receivedMS = command.receivedAt.unixMilliseconds
        try db.execute(
            sql: """
                INSERT INTO commands (
                    command_id, kind, source, subject, received_at_ms, body, request_method, request_path,
                    request_form, idempotency_key, state, due_at_ms, updated_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                """,
            arguments: [
                command.commandID, command.kind, command.source, command.subject, receivedMS, command.body,
                request.method, request.path, request.form, request.idempotencyKey, receivedMS, receivedMS,
            ]
        )
        return .stored(CommandID(db.lastInsertedRowID))
    }
}

/// The store's command reads, on its pool's readers (see ``CommandReader``).
extension SQLiteDeliveryStore {
    public func commands(matching query: CommandQuery) async throws(StoreError) -> [CommandRecord] {
        try await read { db in try Self.commands(matching: query, in: db) }
    }

    public func countCommands(matching query: CommandQuery) async throws(StoreError) -> Int {
        try await read { db in try Self.countCommands(matching: query, in: db) }
    }

    public func command(_ id: CommandID) async throws(StoreError) -> CommandDetail? {
        try await read { db in try Self.commandDetail(id: id, in: db) }
    }

    public func command(commandID: String) async throws(StoreError) -> CommandDetail? {
        try await read { db in try Self.commandDetail(id: nil, commandID: commandID, in: db) }
    }
}
