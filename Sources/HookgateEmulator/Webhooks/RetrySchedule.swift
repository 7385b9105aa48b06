/// When a webhook that was not answered 2xx is tried again: Stripe's live-mode schedule (exponential, for up to
/// three days) with each of Stripe's hours lasting ``secondsPerHour`` seconds.
public struct RetrySchedule: Sendable, Hashable {
    /// The waits before each retry, in Stripe's hours: 1, 2, 4, 8, 16, 24 and 17 (72 hours in all).
    public static let stripeHours: [Double] = [1, 2, 4, 8, 16, 24, 17]

    /// How long one of Stripe's hours lasts here (`--retry-scale`); 3600 is Stripe's own pace.
    public var secondsPerHour: Double

    public init(secondsPerHour: Double) {
        self.secondsPerHour = secondsPerHour
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` (from 1) failed; `nil` after the last.
    public func delay(after attempt: Int) -> Duration? {
        guard attempt >= 1, attempt <= Self.stripeHours.count else { return nil }
        return .milliseconds(Int64((Self.stripeHours[attempt - 1] * self.secondsPerHour * 1000).rounded()))
    }
}
