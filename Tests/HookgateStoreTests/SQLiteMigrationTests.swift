import Foundation
import GRDB
import HookgateTestSupport
import Testing

@testable import HookgateStore

/// SQLite only: creating, migrating and reopening the file, its modes and journal settings.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteMigrationTests {
    /// Opening a path with no file creates and migrates it, in WAL mode with synchronous=FULL,
    /// and the file and its WAL are readable by their owner only.
    @Test func emptyFileIsCreatedMigratedAndPrivate() async throws {
        try await withStore { store, directory in
            _ = try await store.append(sampleDelivery())
            let settings = try await store.pool.writeWithoutTransaction { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                    try SQLiteDeliveryStore.migrator.appliedIdentifiers(db),
                    try db.tableExists("delivery") && db.tableExists("delivery_attempt")
                )
            }
            #expect(settings.0 == "wal")
            #expect(settings.1 == 2)  // FULL
            #expect(settings.2 == Set(SQLiteDeliveryStore.migrator.migrations))
            #expect(settings.3)
            for name in ["store.sqlite", "store.sqlite-wal", "store.sqlite-shm"] {
                let path = directory.appendingPathComponent(name).path
                let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(name)")
            }
        }
    }

    /// Opening an existing file again applies nothing twice and keeps the data.
    @Test func reopeningMigratedFileKeepsData() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SQLiteDeliveryStore.Configuration(
                path: directory.appendingPathComponent("s.sqlite").path
            )
            for round in 0..<3 {
                let store = try SQLiteDeliveryStore.running(configuration: configuration)
                _ = try await store.append(sampleDelivery(eventID: "evt_\(round)"))
                let count = try await store.deliveries(matching: DeliveryQuery()).count
                await store.close()
                #expect(count == round + 1)
            }
        }
    }

    /// A file migrated by a newer version (a migration this one does not know) is refused.
    @Test func fileFromNewerVersionIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let configuration = SQLiteDeliveryStore.Configuration(
                path: directory.appendingPathComponent("s.sqlite").path
            )
            let store = try SQLiteDeliveryStore.running(configuration: configuration)
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')")
            }
            await store.close()
            let error = #expect(throws: StoreError.self) {
                try SQLiteDeliveryStore.running(configuration: configuration)
            }
            #expect(error?.code == .incompatibleSchema)
        }
    }

    /// A path in a missing directory fails with storeUnavailable, not a crash.
    @Test func unopenablePathIsUnavailable() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing/s.sqlite").path
            let error = #expect(throws: StoreError.self) {
                try SQLiteDeliveryStore.running(configuration: .init(path: path))
            }
            #expect(error?.code == .storeUnavailable)
        }
    }
}
