import GRDB

extension DatabaseReader {
    /// Whether a read of the `delivery` table succeeds right now: the store's and the reader's readiness check.
    func canReadDeliveries() async -> Bool {
        do {
            try await self.read { db in try db.execute(sql: "SELECT 1 FROM delivery LIMIT 1") }
            return true
        } catch {
            return false
        }
    }
}
