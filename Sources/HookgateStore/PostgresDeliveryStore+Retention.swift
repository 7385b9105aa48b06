public import Foundation
import PostgresNIO

extension PostgresDeliveryStore {
    /// Deletes expired finished deliveries in batches of ``RetentionPolicy/batchSize``, each its own short
    /// transaction (so no purge holds back vacuum or the appends), oldest received first; their attempts,
    /// messages, facts and dedup keys go with them. Rows a replica is purging at the same time are skipped.
    public func purgeExpired(now: Date) async throws(StoreError) -> Int {
        let cutoff = now.unixMilliseconds - configuration.retention.window.milliseconds
        let batchSize = configuration.retention.batchSize
        var purged = 0
        while true {
            let deleted = try await pool.rows(
                """
                DELETE FROM delivery WHERE id IN (
                    SELECT id FROM delivery
                    WHERE received_at_ms < \(cutoff) AND state IN ('delivered', 'skipped', 'dead')
                    ORDER BY received_at_ms, id
                    LIMIT \(Int64(batchSize))
                    FOR UPDATE SKIP LOCKED)
                RETURNING id
                """,
                logger: logger
            ).count
            purged += deleted
            if deleted < batchSize { return purged }
        }
    }
}
