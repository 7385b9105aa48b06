public import Foundation
import GRDB

extension SQLiteDeliveryStore {
    public func purgeExpired(now: Date) async throws(StoreError) -> Int {
        let cutoff = now.unixMilliseconds - configuration.retention.window.milliseconds
        let batchSize = configuration.retention.batchSize
        var purged = 0
        while true {
            // One short transaction per batch, so queued appends are committed in between.
            let deleted = try await write { db in
                try db.execute(
                    sql: """
                        DELETE FROM delivery WHERE id IN (
                            SELECT id FROM delivery
                            WHERE received_at_ms < ? AND state IN ('delivered', 'skipped', 'dead')
                            LIMIT ?)
                        """,
                    arguments: [cutoff, batchSize]
                )
                return db.changesCount
            }
            purged += deleted
            if deleted < batchSize { return purged }
        }
    }
}
