extension RetentionPolicy {
    /// Runs `deleteBatch` (which deletes at most ``batchSize`` rows in one short transaction and returns how many
    /// it deleted) until a batch deletes fewer, so that appends are committed in between; returns the total.
    func purgeInBatches(_ deleteBatch: () async throws(StoreError) -> Int) async throws(StoreError) -> Int {
        var purged = 0
        while true {
            let deleted = try await deleteBatch()
            purged += deleted
            if deleted < batchSize { return purged }
        }
    }
}
