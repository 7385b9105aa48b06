public import Foundation
import PostgresNIO

extension PostgresDeliveryStore {
    /// Deletes expired finished deliveries, then expired finished commands (delivered or dead; pending and
    /// delivering ones are never purged), in batches of ``RetentionPolicy/batchSize``, each its own short
    /// transaction (so no purge holds back vacuum or the appends), oldest received first; a delivery's attempts,
    /// messages, facts and dedup key go with it, a command's attempts and id with it. Rows a replica is purging at
    /// the same time are skipped.
    public func purgeExpired(now: Date) async throws(StoreError) -> Int {
        let cutoff = now.unixMilliseconds - configuration.retention.window.milliseconds
        let deliveries = try await purge(from: "delivery", finished: "'delivered', 'skipped', 'dead'", before: cutoff)
        let commands = try await purge(from: "commands", finished: "'delivered', 'dead'", before: cutoff)
        return deliveries + commands
    }

    /// Deletes the rows of `table` in the `finished` states received before `cutoff`, batch by batch.
    private func purge(from table: String, finished: String, before cutoff: Int64) async throws(StoreError) -> Int {
        let batchSize = Int64(configuration.retention.batchSize)
        let query = PostgresQuery(
            unsafeSQL: """
                DELETE FROM \(table) WHERE id IN (
                    SELECT id FROM \(table)
                    WHERE received_at_ms < $1 AND state IN (\(finished))
                    ORDER BY received_at_ms, id
                    LIMIT $2
                    FOR UPDATE SKIP LOCKED)
                RETURNING id
                """,
            binds: {
                var binds = PostgresBindings(capacity: 2)
                binds.append(cutoff)
                binds.append(batchSize)
                return binds
            }()
        )
        return try await configuration.retention.purgeInBatches { () async throws(StoreError) -> Int in
            try await pool.rows(query, logger: logger).count
        }
    }
}
