public import Foundation
import GRDB

extension SQLiteDeliveryStore {
    public func unprepared(limit: Int) async throws(StoreError) -> [DeliveryRecord] {
        try await read { db in try Self.unpreparedDeliveries(limit: limit, in: db) }
    }

    public func applyPreparations(_ preparations: [PreparedDelivery], now: Date) async throws(StoreError) {
        guard !preparations.isEmpty else { return }
        try await writeWithoutSync { db in try Self.apply(preparations, nowMS: now.unixMilliseconds, in: db) }
    }

    public func claimDue(
        now: Date,
        leaseDuration: Duration,
        limit: Int,
        applying preparations: [PreparedDelivery]
    ) async throws(StoreError) -> [DeliveryLease] {
        let token = UUID().uuidString
        let nowMS = now.unixMilliseconds
        let expiresMS = nowMS + leaseDuration.milliseconds
        let claimed = try await writeWithoutSync { db in
            try Self.apply(preparations, nowMS: nowMS, in: db)
            return try Self.lease(in: db, token: token, nowMS: nowMS, expiresMS: expiresMS, limit: limit)
        }
        let expiresAt = Date(unixMilliseconds: expiresMS)
        return claimed.sorted { $0.0.id < $1.0.id }.map { record, messages in
            DeliveryLease(record: record, token: token, expiresAt: expiresAt, messages: messages)
        }
    }

    /// Leases up to `limit` due deliveries, oldest due first, in the caller's transaction, and returns them
    /// with their messages.
    static func lease(
        in db: Database,
        token: String,
        nowMS: Int64,
        expiresMS: Int64,
        limit: Int
    ) throws -> [(DeliveryRecord, [OutboundMessage])] {
        // One statement selects the due rows and leases them, so two workers never get the same row.
        // A row waits while another of its ordering key is leased, or is older by event time and not
        // finished (even while that one waits for its retry): each payment's events go in order. It also
        // waits while a delivery received before it is unprepared: that one's key is not known yet. (The first
        // unprepared delivery is read once per statement; with none, the comparison is NULL, not false.)
        let records = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    UPDATE delivery
                    SET state = 'delivering', lease_token = :token, lease_expires_at_ms = :expires,
                        next_attempt_at_ms = :expires, updated_at_ms = :now
                    WHERE id IN (
                        SELECT d.id FROM delivery d
                        WHERE d.state IN ('pending', 'delivering') AND d.next_attempt_at_ms <= :now
                            AND d.prepared_at_ms IS NOT NULL
                            AND (d.ordering_key IS NULL OR NOT EXISTS (
                                SELECT 1 FROM delivery o
                                WHERE o.ordering_key = d.ordering_key AND o.state IN ('pending', 'delivering')
                                    AND o.id != d.id AND o.prepared_at_ms IS NOT NULL
                                    AND ((o.event_created_ms, o.id) < (d.event_created_ms, d.id)
                                        OR o.state = 'delivering' AND o.next_attempt_at_ms > :now)))
                            AND (d.ordering_key IS NULL OR ((d.received_at_ms, d.id) < (
                                SELECT received_at_ms, id FROM delivery
                                WHERE prepared_at_ms IS NULL AND state IN ('pending', 'delivering')
                                ORDER BY received_at_ms, id LIMIT 1)) IS NOT FALSE)
                        ORDER BY d.next_attempt_at_ms, d.id
                        LIMIT :limit)
                    RETURNING \(deliveryColumns)
                    """
            ),
            arguments: ["token": token, "expires": expiresMS, "now": nowMS, "limit": limit]
        )
        let body = try db.cachedStatement(sql: "SELECT body FROM delivery_body WHERE delivery_id = ?")
        return try records.map { row in
            let id: Int64 = row[0]
            guard let stored = try Data.fetchOne(body, arguments: [id]) else {
                throw StoreError.storeUnavailable(detail: "delivery \(id) has no body")
            }
            let record = Self.record(from: row, body: stored)
            let messages = try Row.fetchAll(
                try db.cachedStatement(
                    sql: "SELECT \(messageColumns) FROM delivery_message WHERE delivery_id = ? ORDER BY position"
                ),
                arguments: [record.id.rawValue]
            ).map(Self.message(from:))
            return (record, messages)
        }
    }

    public func completeAttempt(
        _ lease: DeliveryLease,
        report: AttemptReport,
        outcome: AttemptOutcome
    ) async throws(StoreError) {
        let completion = Completion(id: lease.record.id, token: lease.token, report: report, outcome: outcome)
        if let error = try await completionCommitter.submit(completion) { throw error }
    }

    /// Records one completed attempt in the caller's transaction; a lost lease is returned, not thrown,
    /// so that it does not fail the other completions of its batch.
    static func recordCompletion(_ completion: Completion, in db: Database) throws -> StoreError? {
        let id = completion.id
        let report = completion.report
        let (state, nextAttempt) = completion.resultingState
        let lastError = completion.lastError
        let nowMS = Date().unixMilliseconds
        // Only the current lease holder may finish the attempt.
        let row = try Row.fetchOne(
            try db.cachedStatement(
                sql: """
                    UPDATE delivery
                    SET state = ?, attempt_count = attempt_count + 1, next_attempt_at_ms = ?,
                        lease_token = NULL, lease_expires_at_ms = NULL, last_error = ?, updated_at_ms = ?
                    WHERE id = ? AND state = 'delivering' AND lease_token = ?
                    RETURNING attempt_count, replay_count
                    """
            ),
            arguments: [state.rawValue, nextAttempt?.unixMilliseconds, lastError, nowMS, id.rawValue, completion.token]
        )
        guard let row else { return StoreError.leaseLost(id) }
        try db.cachedStatement(
            sql: """
                INSERT INTO delivery_attempt (
                    delivery_id, number, replay_generation, started_at_ms, duration_us, upstream_status, error)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                id.rawValue, row["attempt_count"] as Int, row["replay_count"] as Int,
                report.startedAt.unixMilliseconds, report.duration.microseconds, report.upstreamStatus, report.error,
            ]
        )
        return nil
    }

    public func requeue(_ id: DeliveryID, asReplay: Bool, now: Date) async throws(StoreError) {
        let nowMS = now.unixMilliseconds
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE delivery
                    SET state = 'pending', next_attempt_at_ms = ?, lease_token = NULL, lease_expires_at_ms = NULL,
                        replay_count = replay_count + ?, updated_at_ms = ?
                    WHERE id = ? AND NOT (state = 'delivering' AND lease_expires_at_ms > ?)
                    """,
                arguments: [nowMS, asReplay ? 1 : 0, nowMS, id.rawValue, nowMS]
            )
            guard db.changesCount == 0 else {
                // A replay is prepared again, and its facts no longer suppress it: an operator asked for it.
                if asReplay {
                    try db.execute(
                        sql: """
                            UPDATE delivery SET prepared_at_ms = NULL, skip_reason = NULL WHERE id = ?
                            """,
                        arguments: [id.rawValue]
                    )
                }
                return
            }
            let exists =
                try Bool.fetchOne(db, sql: "SELECT 1 FROM delivery WHERE id = ?", arguments: [id.rawValue]) ?? false
            throw exists ? StoreError.deliveryBusy(id) : StoreError.deliveryNotFound(id)
        }
        workSignal.notify()
    }
}
