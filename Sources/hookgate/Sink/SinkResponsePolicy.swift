/// How the sink answers: by default 200, or failures on purpose to show the gateway's retries.
struct SinkResponsePolicy: Sendable {
    /// Answers every request with this status when set (e.g. 400 to see dead letters).
    var forcedStatus: Int?
    /// Fails the first this many requests, then succeeds (deterministic, for tests and demos).
    var failFirst = 0
    /// The share (0...1) of the other requests answered with ``failStatus``.
    var failRate = 0.0
    /// The status of a deliberate failure.
    var failStatus = 500
    /// Seconds for a `Retry-After` header on deliberate failures.
    var retryAfter: Int?
    /// How long to wait before answering each request.
    var delay = DurationArgument(milliseconds: 0)

    /// The status for the request numbered `number` (from 1), drawing on `random` for ``failRate``.
    func status(forRequest number: Int, using random: inout some RandomNumberGenerator) -> Int {
        if let forcedStatus { return forcedStatus }
        if number <= self.failFirst { return self.failStatus }
        if self.failRate > 0, Double.random(in: 0..<1, using: &random) < self.failRate { return self.failStatus }
        return 200
    }
}
