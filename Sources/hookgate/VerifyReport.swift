import HookgateCore

/// What `hookgate verify` prints: a line on standard output when valid, the code, reason and findings on
/// standard error when not; with `--json`, one JSON object on standard output as well.
enum VerifyReport {
    case valid(VerifiedSignature, now: Int64)
    case invalid(VerificationError, findings: [DiagnosisFinding])

    /// The report as `verify --json` prints it and the admin API answers it: `{"valid":true,"key":..,
    /// "timestamp":..}` or `{"valid":false,"error":..,"message":..,"findings":[{"cause":..,"confirmed":..,
    /// "explanation":..}]}`. Keys are named by label; no secret or signature is part of it.
    var json: JSONValue {
        switch self {
        case .valid(let verified, _):
            return .object([
                .init(key: "valid", value: .bool(true)), .init(key: "key", value: .string(verified.keyLabel)),
                .init(key: "timestamp", value: .integer(verified.timestamp)),
            ])
        case .invalid(let error, let findings):
            let items = findings.map { finding in
                JSONValue.object([
                    .init(key: "cause", value: .string(finding.cause.rawValue)),
                    .init(key: "confirmed", value: .bool(finding.confirmed)),
                    .init(key: "explanation", value: .string(finding.explanation)),
                ])
            }
            return .object([
                .init(key: "valid", value: .bool(false)), .init(key: "error", value: .string(error.code.rawValue)),
                .init(key: "message", value: .string(error.reason)), .init(key: "findings", value: .array(items)),
            ])
        }
    }

    func print(json: Bool) {
        switch self {
        case .valid(let verified, let now):
            if json {
                Swift.print(self.json.serialized())
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
            if json { Swift.print(self.json.serialized()) }
        }
    }
}
