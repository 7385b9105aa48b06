import Foundation
import HookgateTestSupport
import Logging
import PostgresNIO
import Testing

@testable import HookgateStore

/// PostgreSQL only: migrating, reopening and refusing a newer schema; what the configuration and its errors
/// show of a URL's password.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct PostgresMigrationTests {
    /// Opening a database migrates it to the latest version, recorded in its own table; opening it again applies
    /// nothing twice and keeps the data.
    @Test func migratesOnceAndKeepsDataAcrossReopens() async throws {
        try await withTemporaryDirectory { directory in
            for round in 0..<3 {
                try await StoreBackend.postgres.withRunningStore(in: directory) { store in
                    _ = try await store.append(sampleDelivery(eventID: "evt_\(round)"))
                    #expect(try await store.deliveries(matching: DeliveryQuery()).count == round + 1)
                }
            }
            let versions = try onDatabase(of: directory) { connection in
                try connection.rows("SELECT version FROM hookgate_schema_migrations ORDER BY version")
                    .map { try $0.decode(Int32.self) }
            }
            #expect(versions == PostgresDeliveryStore.migrations.map(\.version))
            // Version 2: bodies are compressed with lz4 (Debian's PostgreSQL has it).
            let compression = try onDatabase(of: directory) { connection in
                try connection.rows(
                    """
                    SELECT attrelid::regclass::text || '.' || attname || '=' || attcompression::text FROM pg_attribute
                    WHERE attname = 'body' AND attrelid IN ('delivery'::regclass, 'delivery_message'::regclass)
                    ORDER BY 1
                    """
                ).map { try $0.decode(String.self) }
            }
            #expect(compression == ["delivery.body=l", "delivery_message.body=l"])
        }
    }

    /// A database of schema version 4 (an older Hookgate's, without commands) keeps its deliveries when a store
    /// opens it, and gets the command tables: commands are stored and read beside the deliveries.
    @Test func aDatabaseWithoutCommandsGetsTheirTables() async throws {
        try await withTemporaryDirectory { directory in
            try onDatabase(of: directory) { connection in
                try connection.inTransaction {
                    try connection.run(
                        """
                        CREATE TABLE hookgate_schema_migrations (
                            version integer PRIMARY KEY, name text NOT NULL,
                            applied_at timestamptz NOT NULL DEFAULT now())
                        """
                    )
                    for migration in PostgresDeliveryStore.migrations where migration.version <= 4 {
                        for statement in migration.statements {
                            try connection.run(PostgresQuery(unsafeSQL: statement))
                        }
                        try connection.run(
                            """
                            INSERT INTO hookgate_schema_migrations (version, name)
                            VALUES (\(migration.version), \(migration.name))
                            """
                        )
                    }
                    try connection.run(
                        """
                        INSERT INTO delivery (endpoint, event_id, event_type, event_created_ms, received_at_ms, body,
                            routed, state, next_attempt_at_ms, updated_at_ms)
                        VALUES ('stripe', 'evt_v4', 'payment_intent.succeeded', 1000, 1000, '\\x7b7d', true,
                            'pending', 0, 0)
                        """
                    )
                }
            }
            let id = try await StoreBackend.postgres.withRunningStore(in: directory) { store in
                let id = try #require(try await store.appendCommand(sampleCommand()).storedID)
                #expect(try await store.command(id)?.record.received == sampleCommand())
                #expect(try await store.deliveries(matching: DeliveryQuery()).map(\.received.eventID) == ["evt_v4"])
                return id
            }
            #expect(try await StoreBackend.postgres.reader(in: directory).command(commandID: "cmd_1")?.record.id == id)
            let versions = try onDatabase(of: directory) { connection in
                try connection.rows("SELECT version FROM hookgate_schema_migrations ORDER BY version")
                    .map { try $0.decode(Int32.self) }
            }
            #expect(versions == [1, 2, 3, 4, 5])
        }
    }

    /// A database migrated by a newer version (a version this one does not know) is refused by the store and
    /// by the reader.
    @Test func aNewerSchemaIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            try await StoreBackend.postgres.withRunningStore(in: directory) { _ in }
            try onDatabase(of: directory) { connection in
                try connection.run(
                    "INSERT INTO hookgate_schema_migrations (version, name) VALUES (99, 'from the future')"
                )
            }
            let store = #expect(throws: StoreError.self) { try StoreBackend.postgres.open(in: directory) }
            #expect(store?.code == .incompatibleSchema)
            let reader = #expect(throws: StoreError.self) { try StoreBackend.postgres.reader(in: directory) }
            #expect(reader?.code == .incompatibleSchema)
        }
    }

    /// A reader of a database that was never migrated is refused, and creates nothing.
    @Test func aReaderRefusesAnUnmigratedDatabase() async throws {
        try await withTemporaryDirectory { directory in
            let error = #expect(throws: StoreError.self) { try StoreBackend.postgres.reader(in: directory) }
            #expect(error?.code == .incompatibleSchema)
        }
    }

    /// The password of a URL appears neither in the configuration's description nor in the error of a failed
    /// connection; a malformed URL is refused without being quoted.
    @Test func thePasswordIsNeverShown() throws {
        let url = "postgres://hookgate:s3cr3t-pw@127.0.0.1:1/deliveries"
        let configuration = DeliveryStoreConfiguration(backend: .postgres, location: url)
        #expect(configuration.description == "postgres://hookgate@127.0.0.1:1/deliveries")
        #expect(String(reflecting: configuration) == configuration.description)
        #expect(configuration.databaseFile == nil)
        #expect(DeliveryStores.missingReason(configuration) == nil)
        let unreachable = #expect(throws: StoreError.self) { try DeliveryStores.open(configuration) }
        #expect(unreachable?.code == .storeUnavailable)
        #expect(unreachable?.description.contains("s3cr3t") == false)
        #expect(unreachable?.description.contains("127.0.0.1:1") == true)
        let malformed = #expect(throws: StoreError.self) {
            try DeliveryStoreConfiguration(backend: .postgres, location: "mysql://u:s3cr3t@h/db").validate()
        }
        #expect(malformed?.code == .invalidConfiguration)
        #expect(malformed?.description.contains("s3cr3t") == false)
        #expect("\(PostgresDeliveryStore.Configuration(url: url))".contains("s3cr3t") == false)
    }

    /// Runs `body` on a connection to the test database of `directory`.
    private func onDatabase<T>(of directory: URL, _ body: (PostgresBlockingConnection) throws -> T) throws -> T {
        let url = try PostgresConnectionURL(parsing: try PostgresTestServer.databaseURL(for: directory))
        let connection = try PostgresBlockingConnection.open(url, readOnly: false, logger: Logger(label: "test"))
        defer { connection.close() }
        return try body(connection)
    }
}
