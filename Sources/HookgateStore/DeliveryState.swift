/// Where a delivery is in its life. Stored as its raw value, so the raw values never change.
public enum DeliveryState: String, CaseIterable, Hashable, Sendable {
    /// Waiting for its next attempt (at ``DeliveryRecord/nextAttemptAt``).
    case pending
    /// A worker holds a lease on it; when the lease expires it is due again.
    case delivering
    /// The upstream acknowledged it. Final, until a replay.
    case delivered
    /// Stored but never forwarded: no route matched, or its preparation said so (an unmapped type, a fact
    /// already forwarded, a superseded failure; the reason is kept). Final, until a replay.
    case skipped
    /// Attempts were given up. Final, until a replay.
    case dead

    /// Whether no worker will touch the delivery again unless it is requeued.
    public var isFinal: Bool {
        switch self {
        case .pending, .delivering: false
        case .delivered, .skipped, .dead: true
        }
    }
}
