import Foundation
import HookgateCore
import HookgateStore

/// `commands show` for a terminal: the command, its request to Stripe's API, and every attempt with Stripe's
/// answer. Every value that came from the command or from Stripe is shown with its control characters escaped.
enum CommandDetailText {
    static func render(_ detail: CommandDetail) -> String {
        let record = detail.record
        let received = record.received
        let request = received.request
        let fields: [(String, String?)] = [
            ("state", record.state.rawValue),
            ("command id", received.commandID),
            ("type", received.kind),
            ("source", received.source),
            ("subject", received.subject),
            ("received", DeliveryTime.milliseconds(received.receivedAt)),
            ("attempts", String(record.attemptCount)),
            ("next attempt", record.nextAttemptAt.map(DeliveryTime.milliseconds)),
            ("lease expires", record.leaseExpiresAt.map(DeliveryTime.milliseconds)),
            ("last status", record.lastStatus.map(String.init)),
            ("last error", record.lastError),
            ("stripe object", record.stripeObject.map { [$0.id, $0.status].compactMap { $0 }.joined(separator: " ") }),
        ]
        var out = "command \(record.id)\n" + self.list(fields.compactMap { label, value in value.map { (label, $0) } })
        out += "\nrequest\n  \(DisplayText.escapingControls(request.method + " " + request.path))\n"
        out += "  Idempotency-Key: \(DisplayText.escapingControls(request.idempotencyKey))\n"
        out += self.list(StripeForm.parameters(request.form).map { ($0.name, $0.value) }, indent: "    ")
        out += self.attempts(detail.attempts)
        return out
    }

    /// `label  value` lines with the values aligned, indented by `indent`.
    private static func list(_ pairs: [(String, String)], indent: String = "  ") -> String {
        let width = pairs.map { DisplayText.escapingControls($0.0).count }.max() ?? 0
        return pairs.map { label, value in
            let label = DisplayText.escapingControls(label)
            return indent + label + String(repeating: " ", count: width - label.count) + "  "
                + DisplayText.escapingControls(value) + "\n"
        }.joined()
    }

    private static func attempts(_ attempts: [CommandAttempt]) -> String {
        guard !attempts.isEmpty else { return "\nno attempts\n" }
        var out = "\nattempts (\(attempts.count))\n"
        for attempt in attempts {
            let report = attempt.report
            let duration = String(format: "%.1f ms", DeliveryJSON.milliseconds(report.duration))
            let result = report.status.map { "HTTP \($0)" } ?? "no answer"
            out += "\n  #\(attempt.number)  \(DeliveryTime.milliseconds(report.startedAt))  \(duration)  \(result)\n"
            let fields: [(String, String?)] = [
                ("request id", report.requestID),
                ("replayed", report.idempotentReplayed ? "yes (Stripe's saved answer to this key)" : nil),
                ("error", report.error),
            ]
            out += self.list(fields.compactMap { label, value in value.map { (label, $0) } }, indent: "    ")
            if let response = report.response { out += self.body(response) }
        }
        return out
    }

    /// Stripe's answer, pretty-printed when it is JSON, one line per line with its controls escaped, indented
    /// under the attempt.
    private static func body(_ response: Data) -> String {
        let text =
            (try? JSONValueParser.parse(Array(response)))?.serialized(indent: 2)
            ?? String(decoding: response, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return "    response (\(response.count) bytes)\n"
            + lines.map { "      " + DisplayText.escapingControls(String($0)) + "\n" }.joined()
    }
}
