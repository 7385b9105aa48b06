import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO
import Testing

@testable import HookgateStore

/// The PostgreSQL server the PostgreSQL tests use, named by `HOOKGATE_TEST_POSTGRES_URL` (as
/// `.ci/postgres-cluster` prints it), and the databases made on it: one per test directory, `hookgate_test_<uuid>`.
enum PostgresTestServer {
    /// The environment variable naming the server, e.g. `postgres://postgres@127.0.0.1:54321/postgres`.
    static let variable = "HOOKGATE_TEST_POSTGRES_URL"

    /// The database made for each directory (by path).
    private static let databases = NIOLockedValueBox<[String: String]>([:])

    private static let logger = Logger(label: "hookgate.tests.postgres")

    /// The URL of the database of `directory`, made on first use.
    /// - Throws: ``StoreError/Code/storeUnavailable`` (after recording a test failure that says why) when the
    ///   variable is not set; the server's error when the database cannot be made.
    static func databaseURL(for directory: URL) throws(StoreError) -> String {
        guard let server = ProcessInfo.processInfo.environment[variable], !server.isEmpty else {
            let reason = """
                \(variable) is not set: the PostgreSQL tests need a server. Start one with \
                `.ci/postgres-cluster run -- swift test ...` (or `.ci/postgres-cluster start`, and export what it prints).
                """
            Issue.record(Comment(rawValue: reason))
            throw .storeUnavailable(detail: reason)
        }
        guard var components = URLComponents(string: server) else {
            throw .invalidConfiguration("\(variable) is not a URL")
        }
        let (name, isNew) = databases.withLockedValue { databases -> (String, Bool) in
            if let name = databases[directory.path] { return (name, false) }
            let name = "hookgate_test_" + UUID().uuidString.filter(\.isHexDigit).lowercased()
            databases[directory.path] = name
            return (name, true)
        }
        components.path = "/" + name
        guard let url = components.string else { throw .invalidConfiguration("\(variable) is not a URL") }
        if isNew {
            do {
                try onServer { connection in try connection.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)")) }
            } catch {
                _ = databases.withLockedValue { $0.removeValue(forKey: directory.path) }
                throw error
            }
        }
        return url
    }

    /// Drops the database made for `directory`, if any (whoever is still connected to it is disconnected).
    static func dropDatabase(for directory: URL) {
        guard let name = databases.withLockedValue({ $0.removeValue(forKey: directory.path) }) else { return }
        do {
            try onServer { connection in
                try connection.run(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
            }
        } catch {
            Issue.record("could not drop the test database \(name): \(error)")
        }
    }

    /// Runs `body` on a connection to the server's own database (the variable's), then disconnects.
    private static func onServer(_ body: (PostgresBlockingConnection) throws -> Void) throws(StoreError) {
        guard let server = ProcessInfo.processInfo.environment[variable] else {
            throw .storeUnavailable(detail: "\(variable) is not set")
        }
        let connection = try PostgresBlockingConnection.open(
            try PostgresConnectionURL(parsing: server),
            readOnly: false,
            logger: logger
        )
        defer { connection.close() }
        do {
            try body(connection)
        } catch {
            throw StoreError.postgres(error)
        }
    }
}
