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
