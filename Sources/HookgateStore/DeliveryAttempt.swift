public import Foundation

/// One recorded attempt to forward a delivery upstream.
public struct DeliveryAttempt: Hashable, Sendable {
    /// 1 for the first attempt of the delivery, counting on across replays.
    public var number: Int
    /// The delivery's ``DeliveryRecord/replayCount`` when the attempt was made (0: the original delivery).
    public var replayGeneration: Int
    /// What happened.
    public var report: AttemptReport

    /// Creates a stored attempt (backends build these from their rows).
    public init(number: Int, replayGeneration: Int, report: AttemptReport) {
        self.number = number
        self.replayGeneration = replayGeneration
        self.report = report
    }
}

/// What a worker reports about one attempt.
public struct AttemptReport: Hashable, Sendable {
    /// When the attempt started.
    public var startedAt: Date
    /// How long it took.
    public var duration: Duration
    /// The upstream's HTTP status, if it answered.
    public var upstreamStatus: Int?
    /// Why it failed, if it did (never a body or a secret).
    public var error: String?

    /// Creates a report.
    public init(startedAt: Date, duration: Duration, upstreamStatus: Int? = nil, error: String? = nil) {
        self.startedAt = startedAt
        self.duration = duration
        self.upstreamStatus = upstreamStatus
        self.error = error
    }
}
