public import Foundation
import GRDB

extension SQLiteDeliveryStore {
    /// Deletes expired finished deliveries (with their attempts, messages, facts and dedup keys), then expired
    /// finished commands (delivered or dead, with their attempts); pending and delivering ones are never purged.
    public func purgeExpired(now: Date) async throws(StoreError) -> Int {
        let cutoff = now.unixMilliseconds - configuration.retention.window.milliseconds
        let deliveries = try await purge(from: "delivery", finished: "'delivered', 'skipped', 'dead'", before: cutoff)
        let commands = try await purge(from: "commands", finished: "'delivered', 'dead'", before: cutoff)
        return deliveries + commands
    }

    /// Deletes the rows of `table` in the `finished` states received before `cutoff`, one short transaction per
    /// batch, so queued appends are committed in between.
    private func purge(from table: String, finished: String, before cutoff: Int64) async throws(StoreError) -> Int {
        let batchSize = configuration.retention.batchSize
        return try await configuration.retention.purgeInBatches { () async throws(StoreError) -> Int in
            try await write { db in
                try db.execute(
                    sql: """
                        DELETE FROM \(table) WHERE id IN (
                            SELECT id FROM \(table)
                            WHERE received_at_ms < ? AND state IN (\(finished))
                            LIMIT ?)
                        """,
                    arguments: [cutoff, batchSize]
                )
                return db.changesCount
            }
        }
    }
}
