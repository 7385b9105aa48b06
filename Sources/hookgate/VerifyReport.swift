import HookgateCore

/// What `hookgate verify` prints: a line on standard output when valid, the code, reason and findings on
/// standard error when not; with `--json`, one JSON object on standard output as well.
enum VerifyReport {
    case valid(VerifiedSignature, now: Int64)
    case invalid(VerificationError, findings: [DiagnosisFinding])

    func print(json: Bool) {
        switch self {
        case .valid(let verified, let now):
            if json {
                Swift.print(
                    "{\"valid\":true,\"key\":\(JSONString.quoted(verified.keyLabel)),\"timestamp\":\(verified.timestamp)}"
                )
            } else {
                let age = now - verified.timestamp
                let relation =
                    age >= 0
                    ? "\(HumanDuration.describe(seconds: age)) ago" : "\(HumanDuration.describe(seconds: -age)) ahead"
                Swift.print(
                    "valid: the v1 signature matches key \"\(verified.keyLabel)\"; signed at "
                        + "\(UnixTime.rfc3339(verified.timestamp)) (\(relation))"
                )
            }
        case .invalid(let error, let findings):
            StandardError.write("invalid: \(error.code): \(error.reason)")
            for finding in findings {
                let certainty = finding.confirmed ? "confirmed" : "likely"
                StandardError.write("cause: \(finding.cause) (\(certainty)): \(finding.explanation)")
            }
            if json {
                let items = findings.map { finding in
                    "{\"cause\":\(JSONString.quoted(finding.cause.rawValue)),\"confirmed\":\(finding.confirmed),"
                        + "\"explanation\":\(JSONString.quoted(finding.explanation))}"
                }
                Swift.print(
                    "{\"valid\":false,\"error\":\(JSONString.quoted(error.code.rawValue)),"
                        + "\"message\":\(JSONString.quoted(error.reason)),\"findings\":[\(items.joined(separator: ","))]}"
                )
            }
        }
    }
}
