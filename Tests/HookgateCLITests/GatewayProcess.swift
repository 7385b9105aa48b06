import Foundation
import Glibc

/// A running `hookgate serve` child process on an ephemeral port, stopped (SIGKILL as a last resort) when
/// the test is done.
final class GatewayProcess: @unchecked Sendable {
    private let child: ChildProcess
    /// The HTTPS port the ingress bound.
    private(set) var port = 0

    /// Starts `hookgate serve` in `directory` with `arguments` and extra `environment`; `HOOKGATE_LISTEN`
    /// defaults to `127.0.0.1:0`. Waits until the ingress is listening.
    /// - Parameter fileSizeLimitKiB: when set, the process may write files of at most this size (RLIMIT_FSIZE,
    ///   with SIGXFSZ ignored, so writes past it fail with EFBIG as on a full disk).
    init(
        directory: URL,
        arguments: [String] = [],
        environment: [String: String] = [:],
        fileSizeLimitKiB: Int? = nil
    ) throws {
        var variables = ProcessInfo.processInfo.environment
        variables["HOOKGATE_LISTEN"] = "127.0.0.1:0"
        variables.removeValue(forKey: "STRIPE_WEBHOOK_SECRET")
        variables.merge(environment) { $1 }
        if let fileSizeLimitKiB {
            // bash's `trap ''` ignores the signal and `ulimit -f` counts KiB; both survive the exec.
            self.child = try ChildProcess(
                executable: URL(fileURLWithPath: "/bin/bash"),
                arguments: [
                    "-c", "trap '' XFSZ; ulimit -f \(fileSizeLimitKiB); exec \"$0\" serve \"$@\"",
                    HookgateProcess.executable.path,
                ] + arguments,
                environment: variables,
                directory: directory
            )
        } else {
            self.child = try ChildProcess(
                executable: HookgateProcess.executable,
                arguments: ["serve"] + arguments,
                environment: variables,
                directory: directory
            )
        }
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, self.child.isRunning {
            if let port = self.listeningPort() {
                self.port = port
                return
            }
            usleep(20_000)
        }
        throw GatewayProcessError(message: "serve did not start listening:\n\(self.stdout)\n\(self.stderr)")
    }

    var stdout: String { self.child.stdout }
    var stderr: String { self.child.stderr }
    /// The child process.
    var process: Process { self.child.process }

    /// `https://localhost:<port>/webhooks/stripe`.
    var webhookURL: String { "https://localhost:\(self.port)/webhooks/stripe" }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        self.child.send(signal)
    }

    /// Waits (at most `timeout` seconds) for the process to exit and returns its status.
    func waitForExit(timeout: TimeInterval = 20) throws -> Int32 {
        try self.child.waitForExit(timeout: timeout)
    }

    /// Waits until standard output contains `text`.
    func waitForOutput(_ text: String, timeout: TimeInterval = 10) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !self.stdout.contains(text), Date() < deadline { usleep(20_000) }
        guard self.stdout.contains(text) else {
            throw GatewayProcessError(message: "no '\(text)' in the output:\n\(self.stdout)")
        }
    }

    private func listeningPort() -> Int? {
        let text = self.stdout
        // The ingress's line: `... server.address=127.0.0.1:PORT ... listening` (the admin's names its socket).
        guard
            let line = text.split(separator: "\n").first(where: { $0.contains("listening") && !$0.contains("admin") }),
            let match = line.firstMatch(of: /server\.address=127\.0\.0\.1:(\d+)/)
        else { return nil }
        return Int(match.1)
    }
}

struct GatewayProcessError: Error, CustomStringConvertible {
    let message: String
    var description: String { self.message }
}

/// Runs a command-line tool (curl, openssl) from the PATH and returns its status and output.
func runTool(_ tool: String, _ arguments: [String], stdin: [UInt8] = []) throws -> HookgateProcess.Result {
    try HookgateProcess.run(
        executable: URL(fileURLWithPath: "/usr/bin/env"),
        arguments: [tool] + arguments,
        stdin: stdin
    )
}
