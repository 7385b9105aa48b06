import GRDB

extension SQLiteDeliveryReader {
    /// Whether a read of the `delivery` table succeeds right now on the read-only connection.
    public func isReadable() async -> Bool {
        await queue.canReadDeliveries()
    }

    /// Always `false`: the reader's connection is read-only, so it never tries to write.
    public func isWritable() async -> Bool {
        false
    }
}
