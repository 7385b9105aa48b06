import Foundation
import HookgateCore
import HookgateStore

/// `deliveries show` for a terminal: the delivery's metadata, every attempt, and the prepared messages.
enum DeliveryDetailText {
    static func render(_ inspection: DeliveryInspection) -> String {
        let record = inspection.detail.record
        let received = record.received
        var fields: [(String, String?)] = [
            ("state", record.state.rawValue + (record.replayCount > 0 ? " (replayed \(record.replayCount)x)" : "")),
            ("event", received.eventID),
            ("type", received.eventType),
            ("catalog type", record.catalogType),
            ("subject", record.subject),
            ("ordering key", record.orderingKey),
            ("endpoint", received.endpoint + (received.isRouted ? "" : " (no route)")),
            ("created", DeliveryTime.milliseconds(received.eventCreated)),
            ("received", DeliveryTime.milliseconds(received.receivedAt)),
            ("origin", received.origin == .reconciled ? "reconciled (from Stripe's Events API, not signed)" : nil),
            ("peer", received.peerAddress),
            ("verified by", received.keyLabel.map { "key \(JSONString.quoted($0))" }),
            ("prepared", record.preparedAt.map(DeliveryTime.milliseconds)),
            ("next attempt", record.nextAttemptAt.map(DeliveryTime.milliseconds)),
            ("last error", record.lastError),
            ("skip reason", record.skipReason),
            ("signature", received.headers.signature),
            ("content type", received.headers.contentType),
            ("user agent", received.headers.userAgent),
            ("request id", received.headers.requestID),
            ("body", "\(received.body.count) bytes (--body prints them)"),
        ]
        fields = fields.filter { $0.1 != nil }
        let labelWidth = fields.map(\.0.count).max() ?? 0
        var out = "delivery \(record.id)\n"
        for (label, value) in fields {
            // Values from the request (its body, its headers) are shown with their control characters escaped.
            let shown = DisplayText.escapingControls(value ?? "")
            out += "  " + label + String(repeating: " ", count: labelWidth - label.count) + "  " + shown + "\n"
        }
        out += self.attempts(inspection.detail.attempts)
        out += self.messages(inspection.messages)
        return out
    }

    private static func attempts(_ attempts: [DeliveryAttempt]) -> String {
        guard !attempts.isEmpty else { return "\nno attempts\n" }
        var out = "\nattempts (\(attempts.count))\n"
        out += "     #  STARTED                   DURATION  RESULT\n"
        for attempt in attempts {
            let number = String(attempt.number)
            let duration = String(format: "%.1f ms", DeliveryJSON.milliseconds(attempt.report.duration))
            let status = attempt.report.upstreamStatus
            // The worker's error for an answer only repeats the status ("upstream status 503").
            let error = attempt.report.error.flatMap { text in
                status.map { text.hasSuffix("status \($0)") } == true ? nil : text
            }
            var result = [status.map { "HTTP \($0)" }, error].compactMap { $0 }.joined(separator: ": ")
            if attempt.replayGeneration > 0 { result += " (replay \(attempt.replayGeneration))" }
            out += String(repeating: " ", count: max(0, 6 - number.count)) + number + "  "
            out += DeliveryTime.milliseconds(attempt.report.startedAt) + "  "
            out += String(repeating: " ", count: max(0, 8 - duration.count)) + duration + "  " + result + "\n"
        }
        return out
    }

    private static func messages(_ messages: [OutboundMessage]) -> String {
        guard !messages.isEmpty else { return "" }
        var out = "\nmessages (\(messages.count))\n"
        for message in messages {
            out += "  \(message.contentType)\n"
            let text =
                (try? JSONValueParser.parse(Array(message.body)))?.serialized(indent: 2)
                ?? String(decoding: message.body, as: UTF8.self)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) { out += "  \(line)\n" }
        }
        return out
    }
}
