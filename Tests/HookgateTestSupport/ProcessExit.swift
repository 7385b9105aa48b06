public import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension Process {
    /// Waits at most `seconds` for the process to exit, then kills it (SIGKILL) and waits at most 10 s more;
    /// returns whether it exited within `seconds`.
    ///
    /// Unlike `waitUntilExit()`, this never blocks for ever: a test's `.timeLimit` cannot stop a thread
    /// blocked in a wait, so a child that hangs would stall the whole test process.
    @discardableResult
    public func exitOrKill(within seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while self.isRunning, Date() < deadline { usleep(5_000) }
        guard self.isRunning else { return true }
        kill(self.processIdentifier, SIGKILL)
        let killed = Date().addingTimeInterval(10)
        while self.isRunning, Date() < killed { usleep(5_000) }
        return false
    }
}
