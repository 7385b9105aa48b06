import HookgateStore
import Metrics

/// The command worker's metrics: attempts by outcome (`hookgate.command.attempts`, `outcome` delivered, retry
/// or dead) and their duration. Every metric object is made once, here.
struct CommandMetrics: Sendable {
    private let delivered: Metrics.Counter
    private let retried: Metrics.Counter
    private let dead: Metrics.Counter
    private let attemptDuration: Metrics.Timer

    init(factory: any MetricsFactory) {
        func attempts(_ outcome: String) -> Metrics.Counter {
            Metrics.Counter(label: "hookgate.command.attempts", dimensions: [("outcome", outcome)], factory: factory)
        }
        self.delivered = attempts("delivered")
        self.retried = attempts("retry")
        self.dead = attempts("dead")
        self.attemptDuration = Metrics.Timer(label: "hookgate.command.attempt.duration", factory: factory)
    }

    func attemptFinished(outcome: AttemptOutcome, duration: Duration) {
        switch outcome {
        case .delivered: self.delivered.increment()
        case .retry: self.retried.increment()
        case .dead, .skipped: self.dead.increment()
        }
        self.attemptDuration.recordNanoseconds(Int64(duration.timeInterval * 1e9))
    }
}
