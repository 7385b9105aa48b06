public import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process to completion with `posix_spawn` and `waitpid` on its own pid, not Foundation's
/// `Process`, within a time limit.
///
/// `Process.waitUntilExit()` learns of the exit on a dispatch queue. Tests that wait for a child on the
/// cooperative thread pool (which on this 2-core machine has two threads) can then starve that queue: with
/// both threads waiting, nothing is left to run the notification, and the suite hangs (seen under
/// `faketime`). `waitpid` returns when the child exits, whatever the other threads do.
///
/// One loop feeds the child's input, reads both of its outputs as they come (a child that fills one while the
/// parent waits on the other would block forever) and watches for its exit. A child still running at the
/// deadline is killed and the run throws ``TimedOut`` with what it wrote, so a hung child fails its test
/// instead of stalling the whole test process (a test's `.timeLimit` cannot stop a thread blocked in a wait).
public enum SpawnedProcess {
    /// How the child ended and what it wrote.
    public struct Result: Sendable {
        /// The exit status, or the number of the signal that ended the child (as `Process.terminationStatus`).
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
    }

    /// A child that did not exit within its time limit; it was killed.
    public struct TimedOut: Error, CustomStringConvertible {
        public let command: String
        public let seconds: Double
        public let stdout: Data
        public let stderr: Data

        public var description: String {
            "\(self.command) did not exit within \(self.seconds) s and was killed; it wrote:\n"
                + String(decoding: self.stdout, as: UTF8.self) + String(decoding: self.stderr, as: UTF8.self)
        }
    }

    /// Runs `executable` (a path) with `arguments` and exactly `environment`, feeding it `stdin`, and waits
    /// for it to exit, at most `timeout` seconds (then it is killed, and this throws ``TimedOut``).
    public static func run(
        executable: String,
        arguments: [String],
        environment: [String: String],
        stdin: Data = Data(),
        timeout: Double = 120
    ) throws -> Result {
        let input = CloseOnExecStream()
        let output = CloseOnExecStream()
        let error = CloseOnExecStream()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input.childEnd.fileDescriptor, 0)
        posix_spawn_file_actions_adddup2(&actions, output.childEnd.fileDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, error.childEnd.fileDescriptor, 2)
        // Nothing else of the test process: without this, a long-lived child (a PostgreSQL server started
        // through `pg_ctl`) kept the descriptors that other tests' `Process` children were spawned with at
        // that moment. Foundation learns that a `Process` child exited when the last copy of such a socket
        // closes, so `isRunning` stayed true until that server stopped, and a test waiting for its curl hung
        // the whole process (seen in CI).
        Self.closeDescriptorsFrom3(&actions)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        // As `Process` does: the child starts with no blocked signal and every signal at its default action,
        // whatever the test process (its dispatch threads) blocked or ignored.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        input.closeChildEnd()
        output.closeChildEnd()
        error.closeChildEnd()
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }

        var exchange = Exchange(
            input: input.parentEnd.fileDescriptor,
            stdin: [UInt8](stdin),
            output: output.parentEnd.fileDescriptor,
            error: error.parentEnd.fileDescriptor
        )
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        var status: Int32?
        var killed = false
        // After the exit, what the child wrote is read to its end; a grandchild that kept the streams open
        // is not waited for longer than this.
        var drained: ContinuousClock.Instant?
        while true {
            if status == nil {
                var raw: Int32 = 0
                let waited = waitpid(pid, &raw, WNOHANG)
                if waited == pid {
                    status = raw
                    drained = ContinuousClock.now + .seconds(5)
                } else if !killed, ContinuousClock.now >= deadline {
                    kill(pid, SIGKILL)
                    killed = true
                }
            }
            if let drained, exchange.isDone || ContinuousClock.now >= drained { break }
            exchange.step(waitingAtMostMilliseconds: 10)
        }
        try? input.parentEnd.close()
        let raw = status ?? 0
        if killed {
            throw TimedOut(
                command: ([executable] + arguments).joined(separator: " "),
                seconds: timeout,
                stdout: Data(exchange.stdout),
                stderr: Data(exchange.stderr)
            )
        }
        SecretsInOutput.check(
            String(decoding: exchange.stdout + exchange.stderr, as: UTF8.self),
            of: URL(fileURLWithPath: executable).lastPathComponent + " " + (arguments.first ?? ""),
            against: SecretsInOutput.given(arguments: arguments, environment: environment)
        )
        let signal = raw & 0x7f
        return Result(
            status: signal == 0 ? (raw >> 8) & 0xff : signal,
            stdout: Data(exchange.stdout),
            stderr: Data(exchange.stderr)
        )
    }
}

extension SpawnedProcess {
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's Glibc module does not declare.
    nonisolated(unsafe) private static let closeFrom: CloseFrom = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { fatalError("glibc has no posix_spawn_file_actions_addclosefrom_np (2.34 or later is needed)") }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Adds "close every descriptor from 3 up" to `actions`, after the standard streams are in place.
    fileprivate static func closeDescriptorsFrom3(_ actions: inout posix_spawn_file_actions_t) {
        precondition(Self.closeFrom(&actions, 3) == 0, "posix_spawn_file_actions_addclosefrom_np failed")
    }
}

/// The parent's side of a child's three streams: the input written and the outputs read as the child allows,
/// without blocking (`poll`, then non-blocking `send` and `recv` on the socket pairs).
private struct Exchange {
    private var input: Int32
    private let stdinBytes: [UInt8]
    private var written = 0
    private var output: Int32
    private var error: Int32
    private(set) var stdout: [UInt8] = []
    private(set) var stderr: [UInt8] = []

    init(input: Int32, stdin: [UInt8], output: Int32, error: Int32) {
        self.input = input
        self.stdinBytes = stdin
        self.output = output
        self.error = error
        if stdin.isEmpty { self.finishInput() }
    }

    /// Both outputs have ended.
    var isDone: Bool { self.output < 0 && self.error < 0 }

    /// Waits until a stream is ready (at most `milliseconds`), then writes and reads what it can.
    mutating func step(waitingAtMostMilliseconds milliseconds: Int32) {
        // A negative descriptor is one `poll` ignores: a stream that is done.
        var descriptors = [
            pollfd(fd: self.input, events: Int16(POLLOUT), revents: 0),
            pollfd(fd: self.output, events: Int16(POLLIN), revents: 0),
            pollfd(fd: self.error, events: Int16(POLLIN), revents: 0),
        ]
        guard poll(&descriptors, 3, milliseconds) > 0 else { return }
        if descriptors[0].revents != 0 { self.writeInput() }
        if descriptors[1].revents != 0 { Self.read(&self.output, into: &self.stdout) }
        if descriptors[2].revents != 0 { Self.read(&self.error, into: &self.stderr) }
    }

    private mutating func writeInput() {
        let sent = self.stdinBytes[self.written...].withUnsafeBytes { bytes in
            Glibc.send(self.input, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
        }
        if sent > 0 {
            self.written += sent
            if self.written == self.stdinBytes.count { self.finishInput() }
        } else if sent < 0, errno != EAGAIN, errno != EINTR {
            // The child closed its input (EPIPE): what it did not read, it did not want.
            self.finishInput()
        }
    }

    /// Ends the child's input (it reads end of file) and stops watching it.
    private mutating func finishInput() {
        shutdown(self.input, Int32(SHUT_WR))
        self.input = -1
    }

    private static func read(_ descriptor: inout Int32, into bytes: inout [UInt8]) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes {
            recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
        }
        if count > 0 {
            bytes += buffer[0..<count]
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            descriptor = -1
        }
    }
}
