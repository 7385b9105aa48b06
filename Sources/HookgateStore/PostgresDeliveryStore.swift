import Foundation
public import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// The ``DeliveryStore`` for several gateway replicas sharing one PostgreSQL database.
///
/// Every race between replicas is settled by the database: the dedup key is a unique constraint that a
/// multi-row `INSERT ... ON CONFLICT DO NOTHING` meets; claims lock rows with `FOR UPDATE SKIP LOCKED` and
/// take a transaction-scoped advisory lock per ordering key before leasing, so one delivery per key is in
/// flight across replicas; facts are rows under a primary key, claimed in the transaction that applies the
/// preparation. Nothing relies on ids being committed in order.
///
/// Appends are group-committed as in the SQLite store: the appends waiting while a batch is written go in the
/// next one, as one statement in one transaction, and the commit (with `synchronous_commit = on`) is the
/// durability point. An append waits at most the operation timeout, queued and committing together, so that
/// while PostgreSQL is away every sender gets its `503 store_unavailable` in that time, not after the batches
/// ahead of it also timed out. The connection pool (postgres-nio's `PostgresClient`), the committers and the
/// retention purge run in ``run()``; the initializer only migrates, on a connection of its own.
public final class PostgresDeliveryStore: DeliveryStore {
    let pool: PostgresPool
    let configuration: Configuration
    let logger: Logger
    let committer: GroupCommitter<NewDelivery, AppendResult>
    let completionCommitter: GroupCommitter<Completion, StoreError?>
    /// Commits ``appendCommand(_:)`` (see `PostgresDeliveryStore+Commands.swift`).
    let commandCommitter: GroupCommitter<NewCommand, CommandAppendResult>
    let workSignal = WorkSignal()
    /// The hints of ``commandsAvailable()``.
    let commandSignal = WorkSignal()
    let notifications = PostgresWorkNotifications(sender: UUID().uuidString)
    let lifecycle = StoreLifecycle()
    /// Deliveries a replica was preparing when this one tried to (their advisory lock was held): left out of
    /// the next pages, and waited for by the next claim.
    let preparingElsewhere = NIOLockedValueBox<Set<DeliveryID>>([])

    /// Connects once to create or migrate the schema (blocking while doing so: call it at startup), then sets up
    /// the connection pool, which connects only once ``run()`` runs.
    /// - Throws: ``StoreError/Code/invalidConfiguration``, ``StoreError/Code/incompatibleSchema`` when a newer
    ///   Hookgate migrated the database, or ``StoreError/Code/storeUnavailable`` when it cannot be reached.
    public init(configuration: Configuration, logger: Logger = Logger(label: "hookgate.store")) throws(StoreError) {
        try configuration.validate()
        let url = try configuration.connectionURL()
        let bootstrap = try PostgresBlockingConnection.open(url, readOnly: false, logger: logger)
        defer { bootstrap.close() }
        do {
            try Self.migrate(bootstrap)
        } catch {
            throw StoreError.postgres(error)
        }
        let client = PostgresClient(
            configuration: url.clientConfiguration(poolSize: configuration.poolSize),
            backgroundLogger: logger
        )
        let pool = PostgresPool(client: client, operationTimeout: configuration.operationTimeout)
        self.pool = pool
        self.configuration = configuration
        self.logger = logger
        let workSignal = self.workSignal
        let notifications = self.notifications
        committer = GroupCommitter(
            maxBatchSize: configuration.maxBatchSize,
            queueCapacity: configuration.queueCapacity,
            waitLimit: configuration.operationTimeout
        ) { (batch: [NewDelivery]) async throws(StoreError) -> [AppendResult] in
            let results = try await Self.insert(batch, pool: pool, logger: logger)
            let routed = zip(batch, results).contains { delivery, result in
                if case .stored = result { delivery.isRouted } else { false }
            }
            if routed {
                workSignal.notify()
                notifications.request()
            }
            return results
        }
        completionCommitter = GroupCommitter(
            maxBatchSize: configuration.maxBatchSize,
            queueCapacity: configuration.queueCapacity
        ) { (batch: [Completion]) async throws(StoreError) -> [StoreError?] in
            try await pool.transaction(logger: logger) { connection in
                try await Self.record(batch, on: connection, logger: logger)
            }
        }
        commandCommitter = Self.commandCommitter(
            pool: pool,
            configuration: configuration,
            signal: commandSignal,
            logger: logger
        )
    }

    public func append(_ delivery: NewDelivery) async throws(StoreError) -> AppendResult {
        try await committer.submit(delivery)
    }

    public func workAvailable() -> AsyncStream<Void> {
        workSignal.subscribe()
    }
}
