import Foundation
import Glibc
import HookgateTestSupport

/// A child process whose standard output and error are collected as they come; killed (SIGKILL) when released
/// if it still runs. The `serve` and `sink` wrappers of the tests are built on it.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    private let output = CloseOnExecStream()
    private let errors = CloseOnExecStream()
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""

    /// Starts `executable` with `arguments` and exactly `environment`, in `directory`.
    init(executable: URL, arguments: [String], environment: [String: String], directory: URL) throws {
        self.process.executableURL = executable
        self.process.arguments = arguments
        self.process.environment = environment
        self.process.currentDirectoryURL = directory
        self.process.standardOutput = self.output.childEnd
        self.process.standardError = self.errors.childEnd
        self.output.parentEnd.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.stdoutText += text }
        }
        self.errors.parentEnd.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.stderrText += text }
        }
        try self.process.run()
        self.output.closeChildEnd()
        self.errors.closeChildEnd()
    }

    deinit {
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
        }
        self.output.parentEnd.readabilityHandler = nil
        self.errors.parentEnd.readabilityHandler = nil
    }

    var stdout: String { self.lock.withLock { self.stdoutText } }
    var stderr: String { self.lock.withLock { self.stderrText } }
    var isRunning: Bool { self.process.isRunning }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// Waits (at most `timeout` seconds) for the process to exit and returns its status.
    func waitForExit(timeout: TimeInterval = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while self.process.isRunning, Date() < deadline { usleep(10_000) }
        guard !self.process.isRunning else {
            throw GatewayProcessError(message: "\(self.process.arguments?.first ?? "the process") did not exit")
        }
        return self.process.terminationStatus
    }
}
