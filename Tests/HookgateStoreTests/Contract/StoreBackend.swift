import Foundation
import HookgateStore
import ServiceLifecycle
import Testing

/// A kind of store the contract tests run against, and how to open one in a test's temporary directory.
///
/// Every contract test takes one as its argument (`@Test(arguments: StoreBackend.all)`), so a new backend
/// runs the whole contract by joining ``all``.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    /// The settings the contract tests vary; everything else is the backend's default.
    struct Options: Sendable {
        /// How long finished deliveries are kept. No periodic purge by default, so that a test's old
        /// deliveries stay until the test purges (or asks for a purge interval).
        var retention = RetentionPolicy(purgeInterval: nil)
        /// The most appends committed together; nil: the backend's default.
        var maxBatchSize: Int?
        /// The most appends waiting to be committed; nil: the backend's default.
        var queueCapacity: Int?
    }

    /// The name test results show, e.g. `sqlite`.
    let name: String
    /// Whether a running store hints once (``DeliveryStore/workAvailable()``) when it starts listening to other
    /// replicas (PostgreSQL, once its LISTEN connection is made: work may have been made before).
    var hintsOnceListening = false
    /// Opens (creating on first use) the store kept in a directory: the same directory reopens the same store.
    private let openStore: @Sendable (Options, URL) throws(StoreError) -> any DeliveryStore & CommandStore
    /// Opens the read-only reader of the store kept in a directory.
    private let openReader: @Sendable (URL) throws(StoreError) -> any DeliveryReader & CommandReader

    /// Every backend the contract runs against.
    static let all: [StoreBackend] = [.sqlite, .postgres]

    /// One SQLite file, `store.sqlite`, in the directory.
    static let sqlite = StoreBackend(
        name: "sqlite",
        openStore: { options, directory throws(StoreError) in
            let configuration = DeliveryStoreConfiguration(
                backend: .sqlite,
                location: sqliteFile(in: directory),
                retention: options.retention
            )
            guard options.maxBatchSize != nil || options.queueCapacity != nil else {
                return try DeliveryStores.open(configuration)
            }
            // DeliveryStoreConfiguration has no batching settings (yet): only the SQLite type takes them.
            var tuned = SQLiteDeliveryStore.Configuration(path: configuration.location, retention: options.retention)
            if let maxBatchSize = options.maxBatchSize { tuned.maxBatchSize = maxBatchSize }
            if let queueCapacity = options.queueCapacity { tuned.queueCapacity = queueCapacity }
            return try SQLiteDeliveryStore(configuration: tuned)
        },
        openReader: { directory throws(StoreError) in
            try DeliveryStores.openReader(
                DeliveryStoreConfiguration(backend: .sqlite, location: sqliteFile(in: directory))
            )
        }
    )

    /// A database of its own on the server `HOOKGATE_TEST_POSTGRES_URL` names, created for the directory on first
    /// use (and dropped with it, see ``withTemporaryDirectory(_:)``): the same directory reopens the same database.
    /// Without the variable every PostgreSQL test fails, saying so.
    static let postgres = StoreBackend(
        name: "postgres",
        hintsOnceListening: true,
        openStore: { options, directory throws(StoreError) in
            let url = try PostgresTestServer.databaseURL(for: directory)
            var tuned = PostgresDeliveryStore.Configuration(url: url, retention: options.retention)
            // The contract is about what is stored, not how soon: a CI machine still busy with its build has been
            // seen to take over the default 5 s for one commit. The outage tests keep the default.
            tuned.operationTimeout = .seconds(30)
            if let maxBatchSize = options.maxBatchSize { tuned.maxBatchSize = maxBatchSize }
            if let queueCapacity = options.queueCapacity { tuned.queueCapacity = queueCapacity }
            return try PostgresDeliveryStore(configuration: tuned)
        },
        openReader: { directory throws(StoreError) in
            try DeliveryStores.openReader(
                DeliveryStoreConfiguration(
                    backend: .postgres,
                    location: try PostgresTestServer.databaseURL(for: directory)
                )
            )
        }
    )

    private static func sqliteFile(in directory: URL) -> String {
        directory.appendingPathComponent("store.sqlite").path
    }

    var testDescription: String { name }

    /// Opens the store in `directory` without running it.
    func open(_ options: Options = Options(), in directory: URL) throws(StoreError) -> any DeliveryStore & CommandStore
    {
        try openStore(options, directory)
    }

    /// Opens the read-only reader of the store in `directory` (which must exist).
    func reader(in directory: URL) throws(StoreError) -> any DeliveryReader & CommandReader {
        try openReader(directory)
    }

    /// Opens the store in `directory`, runs it (``DeliveryStore/run()``) while `body` uses it, then closes it
    /// and waits for the run to end, also when `body` throws.
    func withRunningStore<T>(
        _ options: Options = Options(),
        in directory: URL,
        _ body: (any DeliveryStore & CommandStore) async throws -> T
    ) async throws -> T {
        let store = try open(options, in: directory)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            do {
                let result = try await body(store)
                await store.close()
                try await group.waitForAll()
                return result
            } catch {
                await store.close()
                throw error
            }
        }
    }
}

/// Opens a fresh, running `backend` store with `options` in a temporary directory, runs `body`, closes it.
func withStore<T>(
    _ backend: StoreBackend,
    options: StoreBackend.Options = StoreBackend.Options(),
    _ body: (any DeliveryStore & CommandStore) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        try await backend.withRunningStore(options, in: directory, body)
    }
}

/// Like ``withStore(_:options:_:)``, with the backend's read-only reader of the same store beside it.
func withStoreAndReader<T>(
    _ backend: StoreBackend,
    _ body: (any DeliveryStore & CommandStore, any DeliveryReader & CommandReader) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        try await backend.withRunningStore(in: directory) { store in
            try await body(store, try backend.reader(in: directory))
        }
    }
}
