/// `reconcile`: whether `serve` runs `hookgate reconcile` periodically, and how often.
public struct ReconcileConfiguration: Sendable, Hashable {
    /// `interval`: the time between periodic runs, `nil` for none (the default), e.g. `"15m"`; 1 minute to 1 day.
    public var intervalSeconds: Int64?

    /// The shortest interval accepted: 1 minute.
    public static let minimumIntervalSeconds: Int64 = 60
    /// The longest interval accepted: 1 day.
    public static let maximumIntervalSeconds: Int64 = 86_400

    public init(intervalSeconds: Int64? = nil) {
        self.intervalSeconds = intervalSeconds
    }
}
