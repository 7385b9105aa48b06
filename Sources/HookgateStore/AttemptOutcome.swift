public import Foundation

/// How an attempt ends the lease: the state the delivery moves to.
public enum AttemptOutcome: Hashable, Sendable {
    /// The upstream has the event.
    case delivered
    /// Try again, not before the given time.
    case retry(at: Date)
    /// Give up.
    case dead
    /// No route for it (any more); stop without forwarding.
    case skipped
}
