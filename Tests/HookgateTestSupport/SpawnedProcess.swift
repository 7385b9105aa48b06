public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process to completion with `posix_spawn` and `waitpid` on its own pid, not Foundation's
/// `Process`.
///
/// `Process.waitUntilExit()` learns of the exit on a dispatch queue. Tests that wait for a child on the
/// cooperative thread pool (which on this 2-core machine has two threads) can then starve that queue: with
/// both threads waiting, nothing is left to run the notification, and the suite hangs (seen under
/// `faketime`). `waitpid` returns when the child exits, whatever the other threads do.
public enum SpawnedProcess {
    /// How the child ended and what it wrote.
    public struct Result: Sendable {
        /// The exit status, or the number of the signal that ended the child (as `Process.terminationStatus`).
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
    }

    /// Runs `executable` (a path) with `arguments` and exactly `environment`, feeding it `stdin`, and waits
    /// for it to exit.
    public static func run(
        executable: String,
        arguments: [String],
        environment: [String: String],
        stdin: Data = Data()
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
        input.parentEnd.write(stdin)
        try? input.parentEnd.close()
        let stdout = output.parentEnd.readDataToEndOfFile()
        let stderr = error.parentEnd.readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return Result(status: signal == 0 ? (status >> 8) & 0xff : signal, stdout: stdout, stderr: stderr)
    }
}
