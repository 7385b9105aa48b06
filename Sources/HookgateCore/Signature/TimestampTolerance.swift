/// How far a signature's timestamp may lie from the verifying clock, separately for the past and the future.
///
/// `nil` on a side means that side is not checked, which only happens when asked for explicitly
/// (``disabled`` or `init(past:future:)` with `nil`). Zero is a real limit of zero seconds, not "off".
public struct TimestampTolerance: Sendable, Hashable, CustomStringConvertible {
    /// Greatest age in seconds of an accepted timestamp; `nil` for no limit.
    public var past: Int64?
    /// Greatest distance in seconds into the future of an accepted timestamp; `nil` for no limit.
    public var future: Int64?

    /// Stripe's default: 300 s each way.
    public static let standard = TimestampTolerance(past: 300, future: 300)
    /// No check at all.
    public static let disabled = TimestampTolerance(past: nil, future: nil)

    /// - Precondition: limits are not negative.
    public init(past: Int64?, future: Int64?) {
        precondition((past ?? 0) >= 0 && (future ?? 0) >= 0, "tolerances are never negative")
        self.past = past
        self.future = future
    }

    /// The signed distance `timestamp - now` when it is outside the tolerance, or `nil` when accepted.
    /// Negative means the timestamp lies in the past.
    public func violation(timestamp: Int64, now: Int64) -> Int64? {
        let skew = timestamp - now
        if skew < 0, let past, -skew > past { return skew }
        if skew > 0, let future, skew > future { return skew }
        return nil
    }

    public var description: String {
        func side(_ limit: Int64?) -> String { limit.map { "\($0) s" } ?? "unlimited" }
        return "past \(side(self.past)), future \(side(self.future))"
    }
}
