import Foundation
import GRDB
public import Logging

/// The embedded ``DeliveryStore``: one SQLite file in WAL mode with `synchronous=FULL`, so a
/// committed delivery survives a process crash and a power cut.
///
/// Appends are group-committed: concurrent appends share one transaction and one fsync, on
/// GRDB's writer queue, never on the caller's thread; so are the workers' attempt completions.
/// Checkpoints run beside the writer (``WALCheckpointer``), not after its commits. The committers,
/// the checkpoints and the retention purge run in ``run()``.
public final class SQLiteDeliveryStore: DeliveryStore {
    let pool: DatabasePool
    let configuration: Configuration
    let logger: Logger
    let committer: GroupCommitter<NewDelivery, AppendResult>
    let completionCommitter: GroupCommitter<Completion, StoreError?>
    /// Commits ``appendCommand(_:)`` (see `SQLiteDeliveryStore+Commands.swift`).
    let commandCommitter: GroupCommitter<NewCommand, CommandAppendResult>
    let checkpointer: WALCheckpointer
    let workSignal = WorkSignal()
    /// The hints of ``commandsAvailable()``.
    let commandSignal = WorkSignal()
    let lifecycle = StoreLifecycle()

    /// Opens (creating if needed) and migrates the database. Blocks while doing so: call it at startup.
    /// Nothing runs until ``run()``.
    /// - Throws: ``StoreError/Code/invalidConfiguration``, ``StoreError/Code/incompatibleSchema``
    ///   when a newer Hookgate migrated the file, or ``StoreError/Code/storeUnavailable``.
    public init(configuration: Configuration, logger: Logger = Logger(label: "hookgate.store")) throws(StoreError) {
        try configuration.validate()
        try DatabaseFile.createIfMissing(atPath: configuration.path)
        let pool: DatabasePool
        do {
            var grdb = GRDB.Configuration()
            grdb.busyMode = .timeout(5)
            pool = try DatabasePool(path: configuration.path, configuration: grdb)
            try pool.writeWithoutTransaction { db in
                // GRDB's WAL set-up chooses NORMAL, which may lose the last commits on power loss.
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // Checkpoints are the WALCheckpointer's job; this is only its safety net.
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerSafetyNetFrames)")
            }
            if try pool.read({ db in try Self.migrator.hasBeenSuperseded(db) }) {
                throw StoreError.incompatibleSchema(detail: "the database has migrations this version does not know")
            }
            try Self.migrator.migrate(pool)
            checkpointer = try WALCheckpointer(path: configuration.path, writer: pool)
        } catch {
            throw StoreError.unavailable(from: error)
        }
        self.pool = pool
        self.configuration = configuration
        self.logger = logger
        let workSignal = self.workSignal
        committer = GroupCommitter(
            maxBatchSize: configuration.maxBatchSize,
            queueCapacity: configuration.queueCapacity
        ) { (batch: [NewDelivery]) async throws(StoreError) -> [AppendResult] in
            let results = try await Self.write(to: pool) { db in try Self.insert(batch, into: db) }
            let routed = zip(batch, results).contains { delivery, result in
                if case .stored = result { delivery.isRouted } else { false }
            }
            if routed { workSignal.notify() }
            return results
        }
        completionCommitter = GroupCommitter(
            maxBatchSize: configuration.maxBatchSize,
            queueCapacity: configuration.queueCapacity
        ) { (batch: [Completion]) async throws(StoreError) -> [StoreError?] in
            try await Self.write(to: pool) { db in
                try batch.map { completion in try Self.recordCompletion(completion, in: db) }
            }
        }
        commandCommitter = Self.commandCommitter(pool: pool, configuration: configuration, signal: commandSignal)
    }

    public func append(_ delivery: NewDelivery) async throws(StoreError) -> AppendResult {
        try await committer.submit(delivery)
    }

    public func workAvailable() -> AsyncStream<Void> {
        workSignal.subscribe()
    }

    /// Inserts each delivery unless its dedup key exists, in the caller's transaction.
    private static func insert(_ batch: [NewDelivery], into db: Database) throws -> [AppendResult] {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO delivery (
                    endpoint, event_id, event_type, event_created_ms, received_at_ms,
                    signature_header, content_type, user_agent, request_id, peer_address, key_label,
                    routed, state, next_attempt_at_ms, updated_at_ms, origin)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (endpoint, event_id) DO NOTHING
                """
        )
        let insertBody = try db.cachedStatement(sql: "INSERT INTO delivery_body (delivery_id, body) VALUES (?, ?)")
        let existing = try db.cachedStatement(sql: "SELECT id FROM delivery WHERE endpoint = ? AND event_id = ?")
        return try batch.map { delivery in
            let received = delivery.receivedAt.unixMilliseconds
            let state: DeliveryState = delivery.isRouted ? .pending : .skipped
            try insert.execute(arguments: [
                delivery.endpoint, delivery.eventID, delivery.eventType, delivery.eventCreated.unixMilliseconds,
                received, delivery.headers.signature, delivery.headers.contentType,
                delivery.headers.userAgent, delivery.headers.requestID, delivery.peerAddress, delivery.keyLabel,
                delivery.isRouted, state.rawValue, delivery.isRouted ? received : nil, received,
                delivery.origin.storedValue,
            ])
            if db.changesCount == 1 {
                let id = db.lastInsertedRowID
                try insertBody.execute(arguments: [id, delivery.body])
                return .stored(DeliveryID(id))
            }
            guard let id = try Int64.fetchOne(existing, arguments: [delivery.endpoint, delivery.eventID]) else {
                throw StoreError.storeUnavailable(detail: "dedup conflict without an existing row")
            }
            return .duplicate(DeliveryID(id))
        }
    }
}

extension SQLiteDeliveryStore {
    /// Runs `body` in one write transaction on GRDB's writer queue; errors become ``StoreError``.
    static func write<T: Sendable>(
        to pool: DatabasePool,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.unavailable(from: error)
        }
    }

    /// Runs `body` in one write transaction of this store.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try await Self.write(to: pool, body)
    }

    /// Runs `body` in one write transaction that is not fsynced on commit, for state that may be lost on a
    /// power cut without breaking a promise: leases and preparations (the delivery is then claimed or
    /// prepared again). The WAL is append-only, so the next durable commit's fsync covers it, and a crash
    /// loses at most a suffix of such transactions, never one that a durable commit depends on.
    func writeWithoutSync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T
    {
        do {
            return try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = OFF")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.storeUnavailable(detail: "transaction returned nothing") }
                return result
            }
        } catch {
            throw StoreError.unavailable(from: error)
        }
    }

    /// Runs `body` on a reader, in a snapshot; errors become ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError.unavailable(from: error)
        }
    }
}
