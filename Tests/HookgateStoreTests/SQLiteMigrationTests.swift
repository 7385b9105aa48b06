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

    /// A file of schema v3 (bodies inside the delivery rows) keeps every delivery and every body byte for byte
    /// when it is opened: the bodies move to `delivery_body`, and the rows no longer hold them.
    @Test func bodiesMoveOutOfTheRowsKeepingEveryByte() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v3.sqlite").path
            let bodies: [Data] = (0..<50).map { (index: Int) -> Data in
                Data((0..<(2000 + index)).map { (byte: Int) -> UInt8 in UInt8(truncatingIfNeeded: byte * 7 + index) })
            }
            let queue = try DatabaseQueue(path: path)
            try SQLiteDeliveryStore.migrator.migrate(queue, upTo: "v3 unprepared deliveries by receipt")
            try await queue.write { db in
                for (index, body) in bodies.enumerated() {
                    try db.execute(
                        sql: """
                            INSERT INTO delivery (endpoint, event_id, event_type, event_created_ms, received_at_ms,
                                body, routed, state, next_attempt_at_ms, updated_at_ms)
                            VALUES ('stripe', ?, 'payment_intent.succeeded', 1000, ?, ?, 1, 'pending', 0, 0)
                            """,
                        arguments: ["evt_v3_\(index)", index, body]
                    )
                }
            }
            try queue.close()

            let store = try SQLiteDeliveryStore.running(configuration: .init(path: path))
            let records = try await store.deliveries(matching: DeliveryQuery(limit: 100))
            let columns = try await store.pool.read { db in try db.columns(in: "delivery").map(\.name) }
            await store.close()
            #expect(records.count == bodies.count)
            for record in records {
                let index = Int(record.received.eventID.dropFirst("evt_v3_".count))!
                #expect(record.received.body == bodies[index], "\(record.received.eventID)")
            }
            #expect(!columns.contains("body"))
        }
    }

    /// A file of schema v6 (an older Hookgate's, without commands) keeps its deliveries when it is opened, and
    /// gets the command tables: commands are stored and read beside the deliveries.
    @Test func aFileWithoutCommandsGetsTheirTables() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v6.sqlite").path
            let queue = try DatabaseQueue(path: path)
            try SQLiteDeliveryStore.migrator.migrate(queue, upTo: "v6 origin of reconciled deliveries")
            try await queue.write { db in
                #expect(try db.tableExists("commands") == false)
                try db.execute(
                    sql: """
                        INSERT INTO delivery (id, endpoint, event_id, event_type, event_created_ms, received_at_ms,
                            routed, state, next_attempt_at_ms, updated_at_ms)
                        VALUES (1, 'stripe', 'evt_v6', 'payment_intent.succeeded', 1000, 1000, 1, 'pending', 0, 0);
                        INSERT INTO delivery_body (delivery_id, body) VALUES (1, x'7b7d');
                        """
                )
            }
            try queue.close()

            let store = try SQLiteDeliveryStore.running(configuration: .init(path: path))
            let id = try #require(try await store.appendCommand(sampleCommand()).storedID)
            let applied = try await store.pool.read { db in try SQLiteDeliveryStore.migrator.appliedIdentifiers(db) }
            let command = try await store.command(id)
            let deliveries = try await store.deliveries(matching: DeliveryQuery()).map(\.received.eventID)
            await store.close()
            #expect(applied.contains("v7 commands to Stripe's API and their attempts"))
            #expect(command?.record.received == sampleCommand())
            #expect(deliveries == ["evt_v6"])
            let reader = try SQLiteDeliveryReader(path: path)
            #expect(try await reader.command(commandID: "cmd_1")?.record.id == id)
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
