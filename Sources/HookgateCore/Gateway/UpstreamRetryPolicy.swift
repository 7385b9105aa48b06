/// When the delivery worker tries a forward again: exponential backoff from ``base`` doubling up to ``cap``
/// (with jitter), until ``maximumAttempts`` or ``maximumAge`` is reached and the delivery is dead.
public struct UpstreamRetryPolicy: Sendable, Hashable {
    /// The wait after the first failure (`base_ms`). Default: 1 s.
    public var base: Duration
    /// The longest wait between attempts (`cap_seconds`). Default: 10 min.
    public var cap: Duration
    /// Attempts before a delivery is dead (`max_attempts`); 0, the default, for no limit but ``maximumAge``.
    public var maximumAttempts: Int
    /// How long after it was received a delivery is still tried (`max_age_seconds`). Default: 3 days, as long
    /// as Stripe retries.
    public var maximumAge: Duration

    public init(
        base: Duration = .seconds(1),
        cap: Duration = .seconds(600),
        maximumAttempts: Int = 0,
        maximumAge: Duration = .seconds(3 * 86_400)
    ) {
        self.base = base
        self.cap = cap
        self.maximumAttempts = maximumAttempts
        self.maximumAge = maximumAge
    }
}
