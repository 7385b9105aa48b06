public import Foundation
import GRDB

extension SQLiteDeliveryStore {
    public func claimDue(now: Date, leaseDuration: Duration, limit: Int) async throws(StoreError) -> [DeliveryLease] {
        let token = UUID().uuidString
        let nowMS = now.unixMilliseconds
        let expiresMS = nowMS + leaseDuration.milliseconds
        // One statement: select the due rows and lease them, so two workers never get the same row.
        let records = try await write { db in
            try Row.fetchAll(db, sql: """
                UPDATE delivery
                SET state = 'delivering', lease_token = ?, lease_expires_at_ms = ?,
                    next_attempt_at_ms = ?, updated_at_ms = ?
                WHERE id IN (
                    SELECT id FROM delivery
                    WHERE state IN ('pending', 'delivering') AND next_attempt_at_ms <= ?
                    ORDER BY next_attempt_at_ms, id
                    LIMIT ?)
                RETURNING *
                """, arguments: [token, expiresMS, expiresMS, nowMS, nowMS, limit]
            ).map(Self.record(from:))
        }
        let expiresAt = Date(unixMilliseconds: expiresMS)
        return records.sorted { $0.id < $1.id }.map { DeliveryLease(record: $0, token: token, expiresAt: expiresAt) }
    }

    public func completeAttempt(
        _ lease: DeliveryLease, report: AttemptReport, outcome: AttemptOutcome
    ) async throws(StoreError) {
        let id = lease.record.id
        let (state, nextAttempt): (DeliveryState, Date?) =
            switch outcome {
            case .delivered: (.delivered, nil)
            case .retry(let at): (.pending, at)
            case .dead: (.dead, nil)
            case .skipped: (.skipped, nil)
            }
        let lastError = report.error ?? report.upstreamStatus.flatMap { (200..<300).contains($0) ? nil : "upstream status \($0)" }
        let nowMS = Date().unixMilliseconds
        try await write { db in
            // Only the current lease holder may finish the attempt.
            let row = try Row.fetchOne(db, sql: """
                UPDATE delivery
                SET state = ?, attempt_count = attempt_count + 1, next_attempt_at_ms = ?,
                    lease_token = NULL, lease_expires_at_ms = NULL, last_error = ?, updated_at_ms = ?
                WHERE id = ? AND state = 'delivering' AND lease_token = ?
                RETURNING attempt_count, replay_count
                """, arguments: [state.rawValue, nextAttempt?.unixMilliseconds, lastError, nowMS, id.rawValue, lease.token])
            guard let row else { throw StoreError.leaseLost(id) }
            try db.execute(sql: """
                INSERT INTO delivery_attempt (
                    delivery_id, number, replay_generation, started_at_ms, duration_us, upstream_status, error)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    id.rawValue, row["attempt_count"] as Int, row["replay_count"] as Int,
                    report.startedAt.unixMilliseconds, report.duration.microseconds, report.upstreamStatus, report.error,
                ])
        }
    }

    public func requeue(_ id: DeliveryID, asReplay: Bool, now: Date) async throws(StoreError) {
        let nowMS = now.unixMilliseconds
        try await write { db in
            try db.execute(sql: """
                UPDATE delivery
                SET state = 'pending', next_attempt_at_ms = ?, lease_token = NULL, lease_expires_at_ms = NULL,
                    replay_count = replay_count + ?, updated_at_ms = ?
                WHERE id = ? AND NOT (state = 'delivering' AND lease_expires_at_ms > ?)
                """, arguments: [nowMS, asReplay ? 1 : 0, nowMS, id.rawValue, nowMS])
            guard db.changesCount == 0 else { return }
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM delivery WHERE id = ?", arguments: [id.rawValue]) ?? false
            throw exists ? StoreError.deliveryBusy(id) : StoreError.deliveryNotFound(id)
        }
    }
}
