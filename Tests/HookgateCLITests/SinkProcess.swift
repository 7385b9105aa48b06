import Foundation
import Glibc

/// A running `hookgate sink` child process, killed (SIGKILL) at the end of the test if still running.
final class SinkProcess: @unchecked Sendable {
    private let child: ChildProcess

    /// Starts `hookgate sink` with `arguments` and extra `environment` in `directory`; waits until it
    /// listens (or exits, e.g. when it refuses the socket).
    init(directory: URL, arguments: [String] = [], environment: [String: String] = [:]) throws {
        self.child = try ChildProcess(
            executable: HookgateProcess.executable,
            arguments: ["sink"] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            directory: directory
        )
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, self.child.isRunning, !self.stderr.contains("listening on") { usleep(10_000) }
    }

    /// Starts `hookgate sink --format json` on `socket` with `arguments`, in `directory`; throws when it does not
    /// start listening.
    static func reportingJSON(on socket: String, in directory: URL, arguments: [String] = []) throws -> SinkProcess {
        let sink = try SinkProcess(
            directory: directory,
            arguments: ["--socket", socket, "--format", "json"] + arguments
        )
        guard sink.process.isRunning else { throw GatewayProcessError(message: "sink did not start: \(sink.stderr)") }
        return sink
    }

    var stdout: String { self.child.stdout }
    var stderr: String { self.child.stderr }
    /// The child process.
    var process: Process { self.child.process }

    /// The complete lines printed on standard output so far.
    var lines: [String] { self.stdout.split(separator: "\n").map(String.init) }

    /// Waits until at least `count` lines are printed and returns them.
    func waitForLines(_ count: Int, timeout: TimeInterval = 10) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while self.lines.count < count, Date() < deadline { usleep(10_000) }
        guard self.lines.count >= count else {
            throw GatewayProcessError(message: "sink printed \(self.lines.count) of \(count) lines:\n\(self.stdout)")
        }
        return self.lines
    }

    /// Sends SIGTERM and waits for the exit status.
    func stop() throws -> Int32 {
        self.child.send(SIGTERM)
        return try self.child.waitForExit()
    }

    /// Waits (at most `timeout` seconds) for the process to exit and returns its status.
    func waitForExit(timeout: TimeInterval = 20) throws -> Int32 {
        try self.child.waitForExit(timeout: timeout)
    }
}

/// One HTTP response read by curl: status, headers (lowercased names) and body.
struct CurlResponse {
    let status: Int
    let headers: [String: String]
    let body: String
    /// curl's `time_total`, seconds.
    let seconds: Double
}

/// POSTs `body` over the Unix socket at `socket` with curl.
func postOverUnixSocket(
    _ socket: String,
    path: String = "/events",
    body: [UInt8],
    headers: [String] = []
) throws -> CurlResponse {
    let result = try runTool(
        "curl",
        ["-sS", "--max-time", "10", "--unix-socket", socket, "-D", "-", "-w", "\n%{http_code} %{time_total}"]
            + headers.flatMap { ["-H", $0] } + ["--data-binary", "@-", "http://sink\(path)"],
        stdin: body
    )
    let text = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
    let parts = text.components(separatedBy: "\n\n")
    let head = parts.first ?? ""
    var rest = parts.dropFirst().joined(separator: "\n\n").split(separator: "\n", omittingEmptySubsequences: false)
    let trailer = rest.popLast()?.split(separator: " ") ?? []
    var headers: [String: String] = [:]
    for line in head.split(separator: "\n").dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return CurlResponse(
        status: trailer.first.flatMap { Int($0) } ?? 0,
        headers: headers,
        body: rest.joined(separator: "\n"),
        seconds: trailer.last.flatMap { Double($0) } ?? 0
    )
}
