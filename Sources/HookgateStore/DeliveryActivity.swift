public import Foundation

/// Deliveries received and delivered minute by minute over a window of whole minutes, and how long the
/// deliveries delivered in it took from receipt: what a dashboard's overview charts.
public struct DeliveryActivity: Hashable, Sendable {
    /// The longest window a store reads: one day of minutes.
    public static let maximumMinutes = 1_440

    /// The most deliveries the latency is computed over: the latest delivered in the window.
    public static let latencySampleLimit = 10_000

    /// The start of the first minute, a whole minute of Unix time.
    public var start: Date
    /// Deliveries received in each minute, oldest minute first; the last is the minute in progress.
    public var receivedPerMinute: [Int]
    /// Deliveries that became delivered in each minute (the time their last attempt was recorded), replays
    /// included, oldest minute first.
    public var deliveredPerMinute: [Int]
    /// Received → delivered over the latest first deliveries (not replays) delivered in the window, at most
    /// ``latencySampleLimit`` of them; nil when none was.
    public var latency: DeliveryLatency?

    /// Creates an activity report (backends build these from their counts).
    public init(start: Date, receivedPerMinute: [Int], deliveredPerMinute: [Int], latency: DeliveryLatency?) {
        self.start = start
        self.receivedPerMinute = receivedPerMinute
        self.deliveredPerMinute = deliveredPerMinute
        self.latency = latency
    }

    /// The window of `minutes` whole minutes (clamped to 1 through ``maximumMinutes``) whose last minute holds
    /// `now`, in Unix milliseconds: its start (inclusive), its end (exclusive) and the number of minutes.
    static func window(minutes: Int, endingAt now: Date) -> (start: Int64, end: Int64, minutes: Int) {
        let count = min(max(minutes, 1), maximumMinutes)
        let minute: Int64 = 60_000
        let current = now.unixMilliseconds - now.unixMilliseconds.modulo(minute)
        return (current - Int64(count - 1) * minute, current + minute, count)
    }
}

extension Int64 {
    /// The remainder of the division by `divisor`, never negative (times before 1970 included).
    fileprivate func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
