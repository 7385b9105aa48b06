import Logging
import NIOCore
import PostgresNIO

/// One PostgreSQL connection outside any pool, used synchronously: the initializers of the store and the reader
/// block on it (as opening the SQLite store blocks) to migrate or check the schema before anything runs.
///
/// It waits on NIO futures, so it starts no task; never use it on an event loop thread.
struct PostgresBlockingConnection {
    let connection: PostgresConnection
    let logger: Logger

    /// Connects, or throws ``StoreError/Code/storeUnavailable`` naming why (never the password).
    static func open(_ url: PostgresConnectionURL, readOnly: Bool, logger: Logger) throws(StoreError) -> Self {
        let configuration = try url.connectionConfiguration(readOnly: readOnly)
        do {
            let future: EventLoopFuture<PostgresConnection> = PostgresConnection.connect(
                on: PostgresConnection.defaultEventLoopGroup.any(),
                configuration: configuration,
                id: 0,
                logger: logger
            )
            return Self(connection: try future.wait(), logger: logger)
        } catch {
            let reason = StoreError.postgres(error).detail ?? "unreachable"
            throw .storeUnavailable(detail: "\(reason) (\(url))")
        }
    }

    /// The rows of one statement.
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        let future: EventLoopFuture<PostgresQueryResult> = connection.query(query, logger: logger)
        return try future.wait().rows
    }

    /// Runs one statement.
    func run(_ query: PostgresQuery) throws {
        _ = try rows(query)
    }

    /// Runs `body` in one transaction: commits when it returns, rolls back when it throws.
    func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN")
        do {
            let value = try body()
            try run("COMMIT")
            return value
        } catch {
            try? run("ROLLBACK")
            throw error
        }
    }

    /// Closes the connection, waiting until it is closed.
    func close() {
        let future: EventLoopFuture<Void> = connection.close()
        try? future.wait()
    }
}
