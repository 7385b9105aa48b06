import Foundation

/// A PostgreSQL cluster of the test's own, made by `.ci/postgres-cluster` (initdb in a temporary directory, a
/// free port on 127.0.0.1) and removed at the end of the test: the test may stop and start it.
final class PostgresCluster: Sendable {
    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    let url: String
    private let directory: String

    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".ci/postgres-cluster").path

    /// Starts a cluster; fails (never skips) when PostgreSQL cannot start.
    init() throws {
        let started = try Self.run(["start"])
        guard let url = Self.value("HOOKGATE_TEST_POSTGRES_URL", in: started),
            let directory = Self.value("HOOKGATE_TEST_POSTGRES_DIR", in: started)
        else { throw GatewayProcessError(message: "postgres-cluster start printed no URL:\n\(started)") }
        self.url = url
        self.directory = directory
    }

    deinit {
        _ = try? Self.run(["stop", self.directory])
    }

    /// Stops the server, keeping its data: an outage.
    func pause() throws { _ = try Self.run(["pause", self.directory]) }

    /// Starts the server again, on the same port.
    func resume() throws { _ = try Self.run(["resume", self.directory]) }

    /// The rows `sql` returns, one line each, columns separated by `|` (psql's unaligned output).
    func query(_ sql: String) throws -> [String] {
        let result = try runTool("psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c", sql])
        guard result.status == 0 else { throw GatewayProcessError(message: "psql failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The one integer `sql` returns.
    func count(_ sql: String) throws -> Int {
        guard let line = try self.query(sql).first, let value = Int(line) else {
            throw GatewayProcessError(message: "no integer from \(sql)")
        }
        return value
    }

    private static func run(_ arguments: [String]) throws -> String {
        let result = try HookgateProcess.run(executable: URL(fileURLWithPath: self.script), arguments: arguments)
        guard result.status == 0 else {
            throw GatewayProcessError(
                message: "postgres-cluster \(arguments.joined(separator: " ")) failed:\n\(result.output)"
            )
        }
        return result.stdout
    }

    private static func value(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }
}
