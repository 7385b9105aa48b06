/// What happened to one attempt to send an event's webhook, for the emulator's output.
public struct DeliveryAttempt: Sendable {
    /// What follows the attempt.
    public enum Outcome: Sendable, Hashable {
        /// Answered 2xx.
        case delivered
        /// Not answered 2xx; tried again after this long.
        case retrying(after: Duration)
        /// Not answered 2xx and no retry is left.
        case failed
        /// Dropped on purpose (`--drop`): never sent.
        case dropped
    }

    public let eventID: String
    public let eventType: String
    /// 1 for the first attempt, counting retries.
    public let attempt: Int
    /// 2 for the duplicate of an event sent twice.
    public let copy: Int
    /// The HTTP status, or why there was none (`connection refused`, `timed out`).
    public let result: String
    public let outcome: Outcome
}
