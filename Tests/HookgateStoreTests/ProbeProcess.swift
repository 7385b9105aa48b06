import Foundation
import HookgateTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The `HookgateStoreProbe` executable, run as a child process with its stdout on a close-on-exec stream.
///
/// SwiftPM builds it next to the test binary (the test target depends on it), so it is looked
/// up in the directory of `/proc/self/exe`.
final class ProbeProcess {
    static func executableURL() throws -> URL {
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // On Linux the test binary is `<bin>/HookgatePackageTests.xctest`; allow for a bundle layout too.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("HookgateStoreProbe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw ProbeNotFound(testBinary: testBinary)
    }

    struct ProbeNotFound: Error, CustomStringConvertible {
        let testBinary: String
        var description: String { "HookgateStoreProbe not found near \(testBinary)" }
    }

    private let process = Process()
    private let output = CloseOnExecStream()
    private let collected: Task<Data, Never>

    /// Starts the probe and begins collecting its stdout at once, so the stream never fills.
    init(arguments: [String]) throws {
        process.executableURL = try Self.executableURL()
        process.arguments = arguments
        process.standardOutput = output.childEnd
        try process.run()
        output.closeChildEnd()
        let reader = output.parentEnd
        collected = Task {
            await withCheckedContinuation { continuation in
                // Blocks a thread of its own (not one of the few of the cooperative pool, which the tests' own
                // timers need) until the child's stdout closes, i.e. the child exited or was killed.
                Thread { continuation.resume(returning: reader.readDataToEndOfFile()) }.start()
            }
        }
    }

    /// Sends SIGKILL: the child gets no chance to flush, close or checkpoint anything.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the child to exit (killing it after `timeout`), then returns its complete lines.
    func finish(
        timeout: Duration = .seconds(30)
    ) async -> (lines: [String], status: Int32, reason: Process.TerminationReason) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { kill() }
            try? await Task.sleep(for: .milliseconds(5))
        }
        let data = await collected.value
        // Only lines ended by a newline were written completely.
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        lines.removeLast()
        return (lines, process.terminationStatus, process.terminationReason)
    }
}

/// The body the probe appends for an event id (the same derivation as in `HookgateStoreProbe/main.swift`).
func probeBody(_ eventID: String, size: Int) -> Data {
    let seed = Array(eventID.utf8)
    return Data((0..<size).map { seed[$0 % seed.count] &+ UInt8(truncatingIfNeeded: $0) })
}
