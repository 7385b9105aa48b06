import NIOConcurrencyHelpers

/// How many connections a local listener (the commands socket, the admin listener) serves at once. A connection
/// past the bound is closed as soon as it is accepted, so a client that opens connections without end cannot use
/// up the file descriptors the webhook listener and the store share.
final class ConnectionSlots: Sendable {
    /// The most connections served at once.
    let maximum: Int
    private let taken = NIOLockedValueBox(0)
    /// Connections refused since the last report, and when that was.
    private let refusals = NIOLockedValueBox((count: 0, reported: ContinuousClock.Instant?.none))

    init(maximum: Int) {
        self.maximum = max(maximum, 1)
    }

    /// Takes a slot for a new connection; false when every slot is taken.
    func take() -> Bool {
        self.taken.withLockedValue { taken in
            guard taken < self.maximum else { return false }
            taken += 1
            return true
        }
    }

    /// Gives back the slot of a connection that ended.
    func release() {
        self.taken.withLockedValue { $0 -= 1 }
    }

    /// Counts a refused connection; returns how many were refused since the last report when one is due (the
    /// first refusal, then at most one a minute), so that a client opening connections without end cannot flood
    /// the log either.
    func refused(now: ContinuousClock.Instant = .now) -> Int? {
        self.refusals.withLockedValue { refusals in
            refusals.count += 1
            if let reported = refusals.reported, now - reported < .seconds(60) { return nil }
            defer { refusals = (0, now) }
            return refusals.count
        }
    }
}
