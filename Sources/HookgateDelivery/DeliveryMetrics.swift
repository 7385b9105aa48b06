import Foundation
import HookgateStore
import Metrics

/// The delivery worker's metrics: attempts by outcome, attempt duration, and the time from receipt to
/// delivery (the lag the payment system sees).
struct DeliveryMetrics: Sendable {
    private let factory: any MetricsFactory
    private let attemptDuration: Metrics.Timer
    private let deliveryLatency: Metrics.Timer

    init(factory: any MetricsFactory) {
        self.factory = factory
        self.attemptDuration = Metrics.Timer(label: "hookgate.delivery.attempt.duration", factory: factory)
        self.deliveryLatency = Metrics.Timer(label: "hookgate.delivery.latency", factory: factory)
    }

    func attemptFinished(outcome: AttemptOutcome, duration: Duration, receivedAt: Date) {
        let name =
            switch outcome {
            case .delivered: "delivered"
            case .retry: "retry"
            case .dead: "dead"
            case .skipped: "skipped"
            }
        Metrics.Counter(label: "hookgate.delivery.attempts", dimensions: [("outcome", name)], factory: factory)
            .increment()
        attemptDuration.recordNanoseconds(Int64(duration.timeInterval * 1e9))
        if case .delivered = outcome {
            deliveryLatency.recordNanoseconds(Int64(Date().timeIntervalSince(receivedAt) * 1e9))
        }
    }
}
