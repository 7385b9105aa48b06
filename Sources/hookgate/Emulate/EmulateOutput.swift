import HookgateEmulator

/// `hookgate emulate`'s line per webhook attempt on standard output:
/// `evt_3… payment_intent.succeeded attempt 1 → 200 delivered`.
enum EmulateOutput {
    @Sendable static func print(_ attempt: DeliveryAttempt) {
        let copy = attempt.copy > 1 ? " (duplicate)" : ""
        let line: String
        switch attempt.outcome {
        case .dropped:
            let note = attempt.result == "dropped" ? "" : " " + attempt.result
            line = "\(attempt.eventID) \(attempt.eventType) dropped on purpose (--drop)\(note)"
        case .delivered, .failed, .retrying:
            line =
                "\(attempt.eventID) \(attempt.eventType)\(copy) attempt \(attempt.attempt) → \(attempt.result) "
                + Self.describe(attempt.outcome)
        }
        try? StandardOutput.write(Array((line + "\n").utf8))
    }

    private static func describe(_ outcome: DeliveryAttempt.Outcome) -> String {
        switch outcome {
        case .delivered: "delivered"
        case .retrying(let after):
            "retrying in \(Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18) s"
        case .failed: "failed, no retry left"
        case .dropped: "dropped"
        }
    }
}
