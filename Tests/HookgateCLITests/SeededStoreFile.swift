import Foundation
import HookgateStore
import HookgateTestSupport

/// A stopped gateway's store file, `<directory>/data/hookgate.sqlite` in a fresh temporary directory, filled
/// through the real store API and closed, so that the `hookgate` commands read it as a gateway left it.
struct SeededStoreFile {
    let directory: TemporaryDirectory
    /// `<directory>/data/hookgate.sqlite`.
    let storePath: String

    /// Opens the store, runs `seed` on it, closes it, and waits until the database file is final.
    init(seed: (SQLiteDeliveryStore) async throws -> Void) async throws {
        self.directory = try TemporaryDirectory()
        let data = self.directory.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        self.storePath = data.appendingPathComponent("hookgate.sqlite").path
        weak var released: SQLiteDeliveryStore?
        do {
            let store = try SQLiteDeliveryStore.running(configuration: .init(path: self.storePath))
            released = store
            do {
                try await seed(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
        // The database closes (checkpointing the WAL into the file, then removing the WAL) when the store is
        // released, just after its run ends. The weak reference is nil as soon as the release begins, before the
        // checkpoint has written the file, so wait for the WAL to be gone too: the files are then final when a
        // test reads them.
        let deadline = ContinuousClock.now + .seconds(10)
        let wal = self.storePath + "-wal"
        while released != nil || FileManager.default.fileExists(atPath: wal), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
