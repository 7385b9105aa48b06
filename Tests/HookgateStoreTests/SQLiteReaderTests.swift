import Foundation
import GRDB
import HookgateStore
import HookgateTestSupport
import Testing

/// ``SQLiteDeliveryReader`` on a file: what it refuses to open, and that it never writes the file.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteReaderTests {
    /// A missing file is reported as unavailable, and the reader does not create it.
    @Test func aMissingFileIsUnavailableAndNotCreated() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing.sqlite").path
            do {
                _ = try SQLiteDeliveryReader(path: path)
                Issue.record("opened a missing file")
            } catch let error as StoreError {
                #expect(error.code == .storeUnavailable)
                #expect(error.detail?.contains("no database file") == true)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    /// A file migrated by a newer version, and an empty (unmigrated) file, are refused as incompatible.
    @Test func aNewerOrUnmigratedSchemaIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let newer = directory.appendingPathComponent("newer.sqlite").path
            let store = try SQLiteDeliveryStore.running(configuration: .init(path: newer))
            await store.close()
            let queue = try DatabaseQueue(path: newer)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')")
            }
            try queue.close()
            let empty = directory.appendingPathComponent("empty.sqlite").path
            try DatabaseQueue(path: empty).close()
            for path in [newer, empty] {
                do {
                    _ = try SQLiteDeliveryReader(path: path)
                    Issue.record("opened \(path)")
                } catch let error as StoreError {
                    #expect(error.code == .incompatibleSchema)
                }
            }
        }
    }

    /// Lists and statistics read by the reader leave the database file byte for byte as the store left it.
    @Test func theReaderNeverWrites() async throws {
        try await withStore { store, directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            let reader = try SQLiteDeliveryReader(path: path)
            for n in 0..<3 { _ = try await store.append(sampleDelivery(eventID: "evt_\(n)")) }
            _ = try await store.prepareAndClaim(now: t0, leaseDuration: .seconds(30), limit: 10)
            await store.close()
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            _ = try await reader.deliveries(matching: DeliveryQuery())
            _ = try await reader.statistics(matching: DeliveryQuery())
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }
}
