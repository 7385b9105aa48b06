import GRDB

extension SQLiteDeliveryReader {
    /// Whether a read of the `delivery` table succeeds right now on the read-only connection.
    public func isReadable() async -> Bool {
        do {
            try await self.read { db in try db.execute(sql: "SELECT 1 FROM delivery LIMIT 1") }
            return true
        } catch {
            return false
        }
    }

    /// Always `false`: the reader's connection is read-only, so it never tries to write.
    public func isWritable() async -> Bool {
        false
    }
}
