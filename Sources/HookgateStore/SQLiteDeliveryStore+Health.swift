import GRDB

extension SQLiteDeliveryStore {
    /// The SQLite `application_id` Hookgate stamps on its database file ("hkgt").
    static let applicationID: Int32 = 0x686B_6774

    /// Whether a read of the `delivery` table succeeds right now, on one of the pool's readers.
    public func isReadable() async -> Bool {
        await pool.canReadDeliveries()
    }

    /// Whether a write transaction can commit right now: the readiness probe of the admin listener.
    ///
    /// It rewrites the database header's `application_id` in a transaction of its own, so a full disk, a
    /// read-only file system or an I/O error shows up as `false` just as it would fail an append.
    /// It costs one small commit (one fsync); probes run every few seconds at most.
    public func isWritable() async -> Bool {
        do {
            try await self.pool.write { db in
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
            }
            return true
        } catch {
            return false
        }
    }
}
