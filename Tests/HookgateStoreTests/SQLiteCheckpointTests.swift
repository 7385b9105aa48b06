import Foundation
import HookgateStore
import Testing

/// SQLite only: the background checkpointer copies the WAL into the database file.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteCheckpointTests {
    /// Committed pages reach the database file while the store stays open (the writer itself
    /// never checkpoints below its safety net, so only the background checkpointer can do this).
    @Test func checkpointerCopiesTheWALIntoTheDatabaseFile() async throws {
        try await withStore { store, directory in
            let databaseFile = directory.appendingPathComponent("store.sqlite").path
            for n in 0..<200 {
                _ = try await store.append(sampleDelivery(eventID: "evt_\(n)", body: Data(repeating: 7, count: 2048)))
            }
            func databaseFileSize() throws -> Int {
                try FileManager.default.attributesOfItem(atPath: databaseFile)[.size] as? Int ?? 0
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while try databaseFileSize() < 200 * 2048, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try databaseFileSize() >= 200 * 2048)
        }
    }
}
