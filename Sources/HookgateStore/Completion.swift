/// One finished attempt waiting to be recorded: completions are group-committed like appends.
struct Completion: Sendable {
    var id: DeliveryID
    var token: String
    var report: AttemptReport
    var outcome: AttemptOutcome
}
