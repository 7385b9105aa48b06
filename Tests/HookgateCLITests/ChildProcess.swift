import Foundation
import Glibc
import HookgateTestSupport
import Testing

/// A child process whose standard output and error are collected as they come; killed (SIGKILL) when released
/// if it still runs. The `serve` and `sink` wrappers of the tests are built on it.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = CloseOnExecStream()
    private let errors = CloseOnExecStream()
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""
    /// Streams read to their end (the child and every process sharing them closed them).
    private var streamsAtEnd = 0
    /// The secrets the child was given, which its output must not hold.
    private let secrets: Set<String>

    /// Starts `executable` with `arguments` and exactly `environment`, in `directory`.
    init(executable: URL, arguments: [String], environment: [String: String], directory: URL) throws {
        self.process.executableURL = executable
        self.process.arguments = arguments
        self.process.environment = environment
        self.process.currentDirectoryURL = directory
        self.secrets = SecretsInOutput.given(arguments: arguments, environment: environment)
        self.process.standardOutput = self.output.childEnd
        self.process.standardError = self.errors.childEnd
        self.output.parentEnd.readabilityHandler = { [weak self] handle in
            self?.collect(handle.availableData, from: handle, into: \.stdoutText)
        }
        self.errors.parentEnd.readabilityHandler = { [weak self] handle in
            self?.collect(handle.availableData, from: handle, into: \.stderrText)
        }
        try self.process.run()
        self.output.closeChildEnd()
        self.errors.closeChildEnd()
    }

    deinit {
        if self.process.isRunning {
            self.process.exitOrKill(within: 0)
        }
        self.output.parentEnd.readabilityHandler = nil
        self.errors.parentEnd.readabilityHandler = nil
        let name = self.process.executableURL?.lastPathComponent ?? "a child"
        SecretsInOutput.check(
            self.stdout + self.stderr,
            of: name + " " + (self.process.arguments?.first ?? ""),
            against: self.secrets
        )
    }

    /// Appends what a stream gave; at its end (no data), stops reading it.
    private func collect(
        _ data: Data,
        from handle: FileHandle,
        into text: ReferenceWritableKeyPath<ChildProcess, String>
    ) {
        guard !data.isEmpty else {
            handle.readabilityHandler = nil
            self.lock.withLock { self.streamsAtEnd += 1 }
            return
        }
        let received = String(decoding: data, as: UTF8.self)
        self.lock.withLock { self[keyPath: text] += received }
    }

    var stdout: String { self.lock.withLock { self.stdoutText } }
    var stderr: String { self.lock.withLock { self.stderrText } }
    var isRunning: Bool { self.process.isRunning }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Waits (at most `timeout` seconds) for the process to exit and returns its status; by then ``stdout`` and
    /// ``stderr`` hold everything it wrote (waited for at most 5 s more, in case another process shares them).
    func waitForExit(timeout: TimeInterval = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while self.process.isRunning, Date() < deadline { usleep(10_000) }
        guard !self.process.isRunning else {
            throw GatewayProcessError(message: "\(self.process.arguments?.first ?? "the process") did not exit")
        }
        let drained = Date().addingTimeInterval(5)
        while self.lock.withLock({ self.streamsAtEnd < 2 }), Date() < drained { usleep(1_000) }
        return self.process.terminationStatus
    }
}
