import Foundation
import Glibc
import HookgateCore

/// A running `hookgate emulate` on an ephemeral loopback port, killed (SIGKILL) at the end of the test if
/// still running; requests to its API go through curl, as a user's would.
final class EmulatorProcess: @unchecked Sendable {
    static let apiKey = "sk_test_hookgateEmulateEndToEnd"

    private let child: ChildProcess
    /// The API's port.
    private(set) var port = 0
    /// `http`, or `https` with --tls-cert.
    private(set) var scheme = "http"
    /// A CA certificate curl trusts for `https` (`--cacert`).
    var trustedCA: String?

    /// Starts `hookgate emulate --listen 127.0.0.1:0` with `arguments` and extra `environment` in `directory`;
    /// waits until it listens.
    init(directory: URL, arguments: [String], environment: [String: String]) throws {
        self.child = try ChildProcess(
            executable: HookgateProcess.executable,
            arguments: ["emulate", "--listen", "127.0.0.1:0"] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            directory: directory
        )
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, self.child.isRunning {
            if let match = self.stderr.firstMatch(of: /listening on (https?):\/\/127\.0\.0\.1:(\d+)/),
                let port = Int(match.2)
            {
                self.scheme = String(match.1)
                self.port = port
                return
            }
            usleep(10_000)
        }
        throw GatewayProcessError(message: "emulate did not start listening:\n\(self.stdout)\n\(self.stderr)")
    }

    var stdout: String { self.child.stdout }
    var stderr: String { self.child.stderr }

    /// The attempt lines printed so far.
    var attemptLines: [String] { self.stdout.split(separator: "\n").map(String.init) }

    /// Waits (at most `timeout` seconds) until `count` attempt lines end in `delivered`.
    func waitForDelivered(_ count: Int, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while self.attemptLines.filter({ $0.hasSuffix(" delivered") }).count < count, Date() < deadline {
            usleep(20_000)
        }
        guard self.attemptLines.filter({ $0.hasSuffix(" delivered") }).count >= count else {
            throw GatewayProcessError(message: "\(count) deliveries not done:\n\(self.stdout)\n\(self.stderr)")
        }
    }

    /// Sends a form-encoded request to the API with curl and returns the status and parsed body.
    func request(_ method: String, _ path: String, _ form: [String] = []) throws -> (status: Int, body: JSONValue) {
        let result = try runTool(
            "curl",
            ["-sS", "--max-time", "10", "-X", method, "-u", Self.apiKey + ":", "-w", "\n%{http_code}"]
                + (self.trustedCA.map { ["--cacert", $0] } ?? []) + form.flatMap { ["--data-urlencode", $0] }
                + ["\(self.scheme)://\(self.scheme == "https" ? "localhost" : "127.0.0.1"):\(self.port)\(path)"]
        )
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.popLast() ?? "") ?? 0
        return (status, try JSONValueParser.parse(lines.joined(separator: "\n")))
    }

    /// SIGTERM, then the exit status.
    func stop() throws -> Int32 {
        self.child.send(SIGTERM)
        return try self.child.waitForExit()
    }
}
