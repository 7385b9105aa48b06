import Logging
import PostgresNIO

/// How a store transaction commits.
enum PostgresCommit: Sendable {
    /// The commit waits until its WAL is flushed (`synchronous_commit = on`, every connection's setting): the
    /// durability point of appends, completions, requeues and purges.
    case durable
    /// The commit does not wait for the flush (`SET LOCAL synchronous_commit = off`), for state that may be lost
    /// in a server crash without breaking a promise: leases and preparations (the delivery is then prepared or
    /// claimed again). The WAL is sequential, so a later durable commit flushes it too, and a crash loses at
    /// most a suffix of such transactions, never one a durable commit depends on.
    case lazy
}

extension PostgresConnection {
    /// The rows of one statement, all read.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    /// Runs one statement and reads (and drops) its rows, so that its errors surface here.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }

    /// Runs `body` in one transaction on this connection (READ COMMITTED): commits when it returns, rolls back
    /// when it throws. `readOnlySnapshot` makes it a REPEATABLE READ, READ ONLY transaction: one snapshot for
    /// all its statements.
    nonisolated(nonsending) func inTransaction<T>(
        _ commit: PostgresCommit = .durable,
        readOnlySnapshot: Bool = false,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await run(readOnlySnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", logger: logger)
        do {
            if commit == .lazy { try await run("SET LOCAL synchronous_commit = off", logger: logger) }
            let value = try await body(self)
            try await run("COMMIT", logger: logger)
            return value
        } catch {
            try? await run("ROLLBACK", logger: logger)
            throw error
        }
    }
}

/// The store's connection pool: postgres-nio's client, each use of which ends within a time limit.
struct PostgresPool: Sendable {
    let client: PostgresClient
    /// How long one operation (a connection's lease and its transaction) may take before it fails with
    /// ``StoreError/Code/storeUnavailable`` (see ``PostgresDeadline``).
    let operationTimeout: Duration

    /// Runs `body` in one transaction on a pooled connection (see ``PostgresConnection/inTransaction(_:readOnlySnapshot:logger:_:)``),
    /// again (up to three times in all) when PostgreSQL broke a deadlock or a serialization conflict by
    /// aborting it; errors become ``StoreError``.
    func transaction<T: Sendable>(
        _ commit: PostgresCommit = .durable,
        readOnlySnapshot: Bool = false,
        logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws(StoreError) -> T {
        let client = self.client
        return try await PostgresDeadline.run(limit: operationTimeout) { () async throws(StoreError) -> T in
            var attempt = 1
            while true {
                do {
                    return try await client.withConnection { connection in
                        try await connection.inTransaction(
                            commit,
                            readOnlySnapshot: readOnlySnapshot,
                            logger: logger,
                            body
                        )
                    }
                } catch {
                    let state = StoreError.sqlState(of: error)
                    guard attempt < 3, state == "40P01" || state == "40001" else { throw StoreError.postgres(error) }
                    attempt += 1
                }
            }
        }
    }

    /// The rows of one statement on a pooled connection, in a transaction of its own, within `limit` (the
    /// operation timeout when `nil`); errors become ``StoreError``.
    func rows(_ query: PostgresQuery, limit: Duration? = nil, logger: Logger) async throws(StoreError) -> [PostgresRow]
    {
        let client = self.client
        return try await PostgresDeadline.run(limit: limit ?? operationTimeout) {
            () async throws(StoreError) -> [PostgresRow] in
            do {
                return try await client.withConnection { connection in
                    try await connection.rows(query, logger: logger)
                }
            } catch {
                throw StoreError.postgres(error)
            }
        }
    }
}
