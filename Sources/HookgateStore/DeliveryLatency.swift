/// How long deliveries took from receipt to delivery: percentiles over a sample, by nearest rank.
public struct DeliveryLatency: Hashable, Sendable {
    /// How many deliveries the percentiles are over.
    public var sampleCount: Int
    /// Half of the sample took at most this long.
    public var p50: Duration
    /// 99 % of the sample took at most this long.
    public var p99: Duration
    /// The longest in the sample.
    public var maximum: Duration

    /// The percentiles of `milliseconds` (each a receipt-to-delivery time); nil for an empty sample.
    public init?(milliseconds: [Int64]) {
        guard !milliseconds.isEmpty else { return nil }
        let sorted = milliseconds.sorted()
        func rank(_ fraction: Double) -> Duration {
            let index = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return .milliseconds(sorted[min(max(index, 0), sorted.count - 1)])
        }
        self.sampleCount = sorted.count
        self.p50 = rank(0.5)
        self.p99 = rank(0.99)
        self.maximum = .milliseconds(sorted[sorted.count - 1])
    }
}
