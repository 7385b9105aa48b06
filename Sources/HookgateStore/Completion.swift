import Foundation

/// One finished attempt waiting to be recorded: completions are group-committed like appends.
struct Completion: Sendable {
    var id: DeliveryID
    var token: String
    var report: AttemptReport
    var outcome: AttemptOutcome

    /// The state the attempt moves the delivery to, and when it is due again (for a retry).
    var resultingState: (state: DeliveryState, nextAttempt: Date?) {
        switch outcome {
        case .delivered: (.delivered, nil)
        case .retry(let at): (.pending, at)
        case .dead: (.dead, nil)
        case .skipped: (.skipped, nil)
        }
    }

    /// What the delivery's last error becomes: the attempt's error, else a non-2xx status, else none.
    var lastError: String? {
        report.error ?? report.upstreamStatus.flatMap { (200..<300).contains($0) ? nil : "upstream status \($0)" }
    }
}
