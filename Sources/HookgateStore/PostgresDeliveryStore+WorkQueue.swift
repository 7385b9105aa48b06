public import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

extension PostgresDeliveryStore {
    public func unprepared(limit: Int) async throws(StoreError) -> [DeliveryRecord] {
        // Those a replica is preparing are left out: the next page is new work, not the same page twice.
        let elsewhere = preparingElsewhere.withLockedValue { $0.map(\.rawValue) }
        let rows = try await pool.rows(
            """
            SELECT * FROM delivery
            WHERE prepared_at_ms IS NULL AND state IN ('pending', 'delivering') AND id <> ALL(\(elsewhere)::bigint[])
            ORDER BY received_at_ms, id LIMIT \(max(0, limit))
            """,
            logger: logger
        )
        do {
            return try rows.map(Self.record(from:))
        } catch {
            throw StoreError.postgres(error)
        }
    }

    public func applyPreparations(_ preparations: [PreparedDelivery], now: Date) async throws(StoreError) {
        guard !preparations.isEmpty else { return }
        let logger = self.logger
        let busy = try await pool.transaction(.lazy, logger: logger) { connection in
            try await Self.apply(
                preparations,
                locking: .skippingBusy,
                nowMS: now.unixMilliseconds,
                on: connection,
                logger: logger
            )
        }
        preparingElsewhere.withLockedValue { $0.formUnion(busy) }
    }

    public func claimDue(
        now: Date,
        leaseDuration: Duration,
        limit: Int,
        applying preparations: [PreparedDelivery]
    ) async throws(StoreError) -> [DeliveryLease] {
        let token = Self.leaseTokenPrefix + UUID().uuidString
        let nowMS = now.unixMilliseconds
        let expiresMS = nowMS + leaseDuration.milliseconds
        let logger = self.logger
        // What replicas were preparing is waited for: their decisions are seen before anything is leased.
        let awaited = preparingElsewhere.withLockedValue { $0 }
        let claimed = try await pool.transaction(.lazy, logger: logger) { connection in
            _ = try await Self.apply(
                preparations,
                locking: .waiting(alsoFor: awaited),
                nowMS: nowMS,
                on: connection,
                logger: logger
            )
            return try await Self.lease(
                on: connection,
                token: token,
                nowMS: nowMS,
                expiresMS: expiresMS,
                limit: limit,
                logger: logger
            )
        }
        preparingElsewhere.withLockedValue { $0.subtract(awaited) }
        let expiresAt = Date(unixMilliseconds: expiresMS)
        return claimed.sorted { $0.0.id < $1.0.id }.map { record, messages in
            DeliveryLease(record: record, token: token, expiresAt: expiresAt, messages: messages)
        }
    }

    /// The unfinished delivery received first (received time, then id) among those not prepared yet: a
    /// statement's common table `horizon`, read once for all its rows (at most one row).
    private static let horizon = """
        horizon AS MATERIALIZED (
            SELECT received_at_ms, id FROM delivery
            WHERE prepared_at_ms IS NULL AND state IN ('pending', 'delivering')
            ORDER BY received_at_ms, id LIMIT 1
        )
        """

    /// The condition a delivery `d` must meet to be leased at `:now` (written `$NOW`), in a statement with the
    /// common table ``horizon``: prepared, pending and due or leased with an expired lease, and, with an
    /// ordering key, the earliest unfinished prepared one of its key by (event time, id), with no other of its
    /// key under an unexpired lease, and received before every delivery still unprepared (whose key is not
    /// known yet).
    private static let leasable = """
        d.state IN ('pending', 'delivering') AND d.next_attempt_at_ms <= $NOW
            AND d.prepared_at_ms IS NOT NULL
            AND (d.ordering_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM delivery o
                WHERE o.ordering_key = d.ordering_key AND o.state IN ('pending', 'delivering')
                    AND o.id <> d.id AND o.prepared_at_ms IS NOT NULL
                    AND ((o.event_created_ms, o.id) < (d.event_created_ms, d.id)
                        OR (o.state = 'delivering' AND o.next_attempt_at_ms > $NOW))))
            AND (d.ordering_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM horizon h WHERE (h.received_at_ms, h.id) < (d.received_at_ms, d.id)))
        """

    /// Leases up to `limit` due deliveries, oldest due first, in the caller's transaction, and returns them with
    /// their messages.
    ///
    /// Two statements, so that every race with a replica is settled by a lock:
    /// 1. the candidates are picked and their rows locked with `FOR UPDATE SKIP LOCKED` (a row another replica
    ///    is leasing is skipped, never leased twice), and for each one with an ordering key this transaction
    ///    takes the key's advisory lock (`pg_try_advisory_xact_lock`, held until commit), skipping keys another
    ///    replica holds;
    /// 2. the candidates are leased only if they are still leasable in a new snapshot, taken once those locks are
    ///    held: a replica that leased a delivery of the same key has committed by then, so its lease is seen, and
    ///    two deliveries of one key are never in flight at once.
    ///    (The condition is wrapped in `IS TRUE`, which changes nothing for a WHERE clause but keeps the planner
    ///    on the primary key: matching the work queue's partial index, it would walk that index whole whenever
    ///    its statistics predate a backlog.)
    static func lease(
        on connection: PostgresConnection,
        token: String,
        nowMS: Int64,
        expiresMS: Int64,
        limit: Int,
        logger: Logger
    ) async throws -> [(DeliveryRecord, [OutboundMessage])] {
        guard limit > 0 else { return [] }
        let candidates = try await connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    WITH \(horizon),
                    candidate AS MATERIALIZED (
                        SELECT d.id, d.ordering_key FROM delivery d
                        WHERE \(leasable.replacingOccurrences(of: "$NOW", with: "$1"))
                        ORDER BY d.next_attempt_at_ms, d.id
                        LIMIT $2
                        FOR UPDATE OF d SKIP LOCKED
                    )
                    SELECT id FROM candidate
                    WHERE ordering_key IS NULL
                        OR pg_try_advisory_xact_lock($3, hashtext(ordering_key))
                    """,
                binds: try bindings(nowMS, Int64(limit), advisoryLockClass)
            ),
            logger: logger
        ).map { try $0.decode(Int64.self) }
        guard !candidates.isEmpty else { return [] }
        let records = try await connection.rows(
            PostgresQuery(
                unsafeSQL: """
                    WITH \(horizon)
                    UPDATE delivery d
                    SET state = 'delivering', lease_token = $1, lease_expires_at_ms = $2,
                        next_attempt_at_ms = $2, updated_at_ms = $3
                    WHERE d.id = ANY($4::bigint[]) AND (\(leasable.replacingOccurrences(of: "$NOW", with: "$3"))) IS TRUE
                    RETURNING d.*
                    """,
                binds: try bindings(token, expiresMS, nowMS, candidates)
            ),
            logger: logger
        ).map(Self.record(from:))
        guard !records.isEmpty else { return [] }
        var messages: [DeliveryID: [OutboundMessage]] = [:]
        for row in try await connection.rows(
            """
            SELECT delivery_id, content_type, body FROM delivery_message
            WHERE delivery_id = ANY(\(records.map(\.id.rawValue))::bigint[])
            ORDER BY delivery_id, position
            """,
            logger: logger
        ) {
            let (id, message) = try Self.message(from: row)
            messages[id, default: []].append(message)
        }
        return records.map { ($0, messages[$0.id] ?? []) }
    }

    /// Bindings for `$1`, `$2`, ... in order.
    private static func bindings(_ values: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values { try binds.append(value) }
        return binds
    }

    public func completeAttempt(
        _ lease: DeliveryLease,
        report: AttemptReport,
        outcome: AttemptOutcome
    ) async throws(StoreError) {
        let completion = Completion(id: lease.record.id, token: lease.token, report: report, outcome: outcome)
        if let error = try await completionCommitter.submit(completion) { throw error }
    }

    /// Records completed attempts in the caller's transaction, all in one statement; a lost lease is returned
    /// (as that completion's error), not thrown, so that it does not fail the other completions of its batch.
    static func record(
        _ completions: [Completion],
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> [StoreError?] {
        guard !completions.isEmpty else { return [] }
        var columns = CompletionColumns()
        for completion in completions { columns.append(completion) }
        let nowMS = Date().unixMilliseconds
        // Only the current lease holder may finish the attempt. (Arrays cannot bind NULL elements, so each
        // optional value comes with a flag.)
        let recorded = try await connection.rows(
            """
            WITH c AS (
                SELECT * FROM unnest(\(columns.ids)::bigint[], \(columns.tokens)::text[], \(columns.states)::text[],
                    \(columns.nextAttempts)::bigint[], \(columns.hasNextAttempt)::boolean[],
                    \(columns.lastErrors)::text[], \(columns.hasLastError)::boolean[],
                    \(columns.startedAt)::bigint[], \(columns.durations)::bigint[],
                    \(columns.statuses)::integer[], \(columns.hasStatus)::boolean[],
                    \(columns.errors)::text[], \(columns.hasError)::boolean[])
                    AS c(id, token, state, next_attempt, has_next_attempt, last_error, has_last_error,
                        started_at, duration, status, has_status, error, has_error)
            ),
            done AS (
                UPDATE delivery d
                SET state = c.state, attempt_count = d.attempt_count + 1,
                    next_attempt_at_ms = CASE WHEN c.has_next_attempt THEN c.next_attempt END,
                    lease_token = NULL, lease_expires_at_ms = NULL,
                    last_error = CASE WHEN c.has_last_error THEN c.last_error END, updated_at_ms = \(nowMS)
                FROM c
                WHERE d.id = c.id AND d.state = 'delivering' AND d.lease_token = c.token
                RETURNING d.id, d.attempt_count, d.replay_count, c.started_at, c.duration,
                    CASE WHEN c.has_status THEN c.status END AS status, CASE WHEN c.has_error THEN c.error END AS error
            )
            INSERT INTO delivery_attempt (
                delivery_id, number, replay_generation, started_at_ms, duration_us, upstream_status, error)
            SELECT * FROM done
            RETURNING delivery_id
            """,
            logger: logger
        )
        var done: Set<Int64> = []
        for row in recorded { done.insert(try row.decode(Int64.self)) }
        return completions.map { done.contains($0.id.rawValue) ? nil : StoreError.leaseLost($0.id) }
    }

    public func requeue(_ id: DeliveryID, asReplay: Bool, now: Date) async throws(StoreError) {
        let nowMS = now.unixMilliseconds
        // A replay is prepared again, and its facts no longer suppress it: an operator asked for it.
        let requeued = try await pool.rows(
            """
            UPDATE delivery
            SET state = 'pending', next_attempt_at_ms = \(nowMS), lease_token = NULL, lease_expires_at_ms = NULL,
                replay_count = replay_count + \(Int32(asReplay ? 1 : 0)), updated_at_ms = \(nowMS),
                prepared_at_ms = CASE WHEN \(asReplay) THEN NULL ELSE prepared_at_ms END,
                skip_reason = CASE WHEN \(asReplay) THEN NULL ELSE skip_reason END
            WHERE id = \(id.rawValue) AND NOT (state = 'delivering' AND lease_expires_at_ms > \(nowMS))
            RETURNING id
            """,
            logger: logger
        )
        guard requeued.isEmpty else {
            workSignal.notify()
            notifications.request()
            return
        }
        let exists = try await pool.rows("SELECT 1 FROM delivery WHERE id = \(id.rawValue)", logger: logger)
        throw exists.isEmpty ? StoreError.deliveryNotFound(id) : StoreError.deliveryBusy(id)
    }

    /// What every lease token of this process starts with, `<host>/<pid>/`: which replica holds a lease shows
    /// in the `delivery` table (the rest of the token is random).
    static let leaseTokenPrefix: String = {
        var name = [UInt8](repeating: 0, count: 256)
        let named = name.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { gethostname($0.baseAddress!, $0.count - 1) == 0 }
        }
        let host = named ? String(decoding: name.prefix { $0 != 0 }, as: UTF8.self) : "unknown"
        return "\(host)/\(getpid())/"
    }()
}

/// A batch of completions as one array per column, for `unnest`.
private struct CompletionColumns {
    var ids: [Int64] = []
    var tokens: [String] = []
    var states: [String] = []
    var nextAttempts: [Int64] = []
    var hasNextAttempt: [Bool] = []
    var lastErrors: [String] = []
    var hasLastError: [Bool] = []
    var startedAt: [Int64] = []
    var durations: [Int64] = []
    var statuses: [Int32] = []
    var hasStatus: [Bool] = []
    var errors: [String] = []
    var hasError: [Bool] = []

    mutating func append(_ completion: Completion) {
        let (state, nextAttempt) = completion.resultingState
        let report = completion.report
        ids.append(completion.id.rawValue)
        tokens.append(completion.token)
        states.append(state.rawValue)
        nextAttempts.append(nextAttempt?.unixMilliseconds ?? 0)
        hasNextAttempt.append(nextAttempt != nil)
        lastErrors.append(completion.lastError ?? "")
        hasLastError.append(completion.lastError != nil)
        startedAt.append(report.startedAt.unixMilliseconds)
        durations.append(report.duration.microseconds)
        statuses.append(report.upstreamStatus.map { Int32(clamping: $0) } ?? 0)
        hasStatus.append(report.upstreamStatus != nil)
        errors.append(report.error ?? "")
        hasError.append(report.error != nil)
    }
}
