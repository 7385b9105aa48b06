import Foundation
import HookgateStore
import Metrics

/// The delivery worker's metrics: attempts by outcome, attempt duration, and the time from receipt to
/// delivery (the lag the payment system sees). Every metric object is made once, here.
struct DeliveryMetrics: Sendable {
    private let delivered: Metrics.Counter
    private let retried: Metrics.Counter
    private let dead: Metrics.Counter
    private let skipped: Metrics.Counter
    private let attemptDuration: Metrics.Timer
    private let deliveryLatency: Metrics.Timer

    init(factory: any MetricsFactory) {
        func attempts(_ outcome: String) -> Metrics.Counter {
            Metrics.Counter(label: "hookgate.delivery.attempts", dimensions: [("outcome", outcome)], factory: factory)
        }
        self.delivered = attempts("delivered")
        self.retried = attempts("retry")
        self.dead = attempts("dead")
        self.skipped = attempts("skipped")
        self.attemptDuration = Metrics.Timer(label: "hookgate.delivery.attempt.duration", factory: factory)
        self.deliveryLatency = Metrics.Timer(label: "hookgate.delivery.latency", factory: factory)
    }

    func attemptFinished(outcome: AttemptOutcome, duration: Duration, receivedAt: Date) {
        let counter =
            switch outcome {
            case .delivered: self.delivered
            case .retry: self.retried
            case .dead: self.dead
            case .skipped: self.skipped
            }
        counter.increment()
        self.attemptDuration.recordNanoseconds(Int64(duration.timeInterval * 1e9))
        if case .delivered = outcome {
            self.deliveryLatency.recordNanoseconds(Int64(Date().timeIntervalSince(receivedAt) * 1e9))
        }
    }
}
