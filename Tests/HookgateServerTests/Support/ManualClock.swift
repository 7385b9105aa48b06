import NIOConcurrencyHelpers
import NIOCore

/// A monotonic clock the test moves by hand, for the parts of the ingress that take a `now` function.
final class ManualClock: Sendable {
    private let current: NIOLockedValueBox<NIODeadline>

    /// A clock reading `start`.
    init(start: NIODeadline = .uptimeNanoseconds(1_000_000_000)) {
        self.current = NIOLockedValueBox(start)
    }

    /// The time now.
    var now: NIODeadline { self.current.withLockedValue { $0 } }

    /// Moves the clock on.
    func advance(by amount: TimeAmount) { self.current.withLockedValue { $0 = $0 + amount } }
}
