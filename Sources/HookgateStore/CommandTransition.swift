import Foundation

/// What a completed attempt writes to a command's row and its new attempt, the same in every backend.
struct CommandTransition: Sendable {
    /// The state the command moves to.
    var state: DeliveryState
    /// When it is due again (a retry), else nil.
    var nextAttempt: Date?
    /// The answer's body as stored: at most ``CommandAttemptReport/maximumResponseBytes``.
    var response: Data?

    /// The transition of `report` with `outcome`. A command is never skipped: ``AttemptOutcome/skipped`` ends it
    /// as `dead`, like a refusal (the worker never passes it; were it to, the command is not sent again unless an
    /// operator requeues it, which is the safe side for a payment).
    init(report: CommandAttemptReport, outcome: AttemptOutcome) {
        switch outcome {
        case .delivered: (state, nextAttempt) = (.delivered, nil)
        case .retry(let at): (state, nextAttempt) = (.pending, at)
        case .dead, .skipped: (state, nextAttempt) = (.dead, nil)
        }
        response = report.response.map { Data($0.prefix(CommandAttemptReport.maximumResponseBytes)) }
    }
}
