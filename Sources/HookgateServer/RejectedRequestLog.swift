import NIOCore
import Synchronization

/// The gateway-wide budget of access-log lines for rejected requests (any answer but `200`): at most
/// `limits.rejected_log_lines_per_second` in each second of NIO's monotonic clock.
///
/// Beyond the budget a rejection is not logged, only counted (the request metrics count every request), and
/// the next line written reports how many were left out. A flood of forged signatures then spends no CPU on
/// log lines and cannot fill the disk with them. Lock-free: every event loop admits on the same counters.
final class RejectedRequestLog: Sendable {
    /// Whether a rejection gets its line.
    enum Admission: Equatable, Sendable {
        /// Log it, with the number of rejections left out since the last line written (0 for none).
        case log(suppressedBefore: Int)
        /// Leave it out; it is counted for the next line.
        case skip
    }

    private let linesPerSecond: Atomic<Int>
    /// The second (of the monotonic clock) the budget is being spent in.
    private let second = Atomic<Int64>(Int64.min)
    private let linesInSecond = Atomic<Int>(0)
    private let suppressed = Atomic<Int>(0)
    private let now: @Sendable () -> NIODeadline

    /// A budget of `linesPerSecond` lines per second (at least 1), in the seconds of `now` (NIO's monotonic
    /// clock; tests pass their own).
    init(linesPerSecond: Int, now: @escaping @Sendable () -> NIODeadline = { .now() }) {
        self.linesPerSecond = Atomic(max(1, linesPerSecond))
        self.now = now
    }

    /// Changes the budget (a reload of the settings); it applies from the next rejection on.
    func setLinesPerSecond(_ lines: Int) {
        self.linesPerSecond.store(max(1, lines), ordering: .relaxed)
    }

    /// Spends one line of the current second's budget, or counts a rejection left out.
    func admit() -> Admission {
        let current = Int64(self.now().uptimeNanoseconds / 1_000_000_000)
        let seen = self.second.load(ordering: .relaxed)
        if current > seen, self.second.compareExchange(expected: seen, desired: current, ordering: .relaxed).exchanged {
            self.linesInSecond.store(0, ordering: .relaxed)
        }
        let spent = self.linesInSecond.wrappingAdd(1, ordering: .relaxed).newValue
        guard spent <= self.linesPerSecond.load(ordering: .relaxed) else {
            self.suppressed.wrappingAdd(1, ordering: .relaxed)
            return .skip
        }
        return .log(suppressedBefore: self.suppressed.exchange(0, ordering: .relaxed))
    }
}
