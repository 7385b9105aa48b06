import Foundation
import HookgateCore
import HookgateStore

/// The JSON objects the `deliveries` commands print, with snake_case keys that scripts rely on.
enum DeliveryJSON {
    /// One line of `list --json`: `id`, `event_id`, `endpoint`, `type`, `catalog_type`, `subject`, `state`,
    /// `attempts`, `received_at`, `next_attempt_at`, `last_error`, `skip_reason`, `replays`, `origin` (`webhook`, or
    /// `reconciled` for an event `hookgate reconcile` fetched from Stripe's API).
    static func summary(_ record: DeliveryRecord) -> JSONValue {
        .object(self.summaryMembers(record))
    }

    /// `show --json`: the summary, then `event_created_at`, `prepared_at`, `ordering_key`, `key_label`, `peer`,
    /// `headers`, `body_bytes`, `attempts_detail` and `messages` (normalized events parsed as JSON).
    ///
    /// With `redactingSignature` (the admin API, which the dashboard's pages read), `headers.stripe_signature`
    /// keeps its timestamp and says how many signatures it carried, never their values:
    /// `t=1733390000,v1=(redacted),v1=(redacted)`.
    static func detail(_ inspection: DeliveryInspection, redactingSignature: Bool = false) -> JSONValue {
        let record = inspection.detail.record
        return .object(
            self.summaryMembers(record) + self.receivedMembers(record, redactingSignature: redactingSignature) + [
                member("attempt_log", .array(inspection.detail.attempts.map(self.attempt))),
                member("messages", .array(inspection.messages.map(self.message))),
            ]
        )
    }

    /// One line of `export`: the summary, the received metadata, and the raw body as `body` (text, when it is
    /// UTF-8; null otherwise) and `body_base64` (byte-exact).
    static func export(_ record: DeliveryRecord) -> JSONValue {
        let body = record.received.body
        return .object(
            self.summaryMembers(record) + self.receivedMembers(record) + [
                member("body", self.text(String(validating: body, as: UTF8.self))),
                member("body_base64", .string(Base64.encode(body))),
            ]
        )
    }

    private static func summaryMembers(_ record: DeliveryRecord) -> [JSONValue.Member] {
        [
            member("id", .integer(record.id.rawValue)),
            member("event_id", .string(record.received.eventID)),
            member("endpoint", .string(record.received.endpoint)),
            member("type", .string(record.received.eventType)),
            member("catalog_type", self.text(record.catalogType)),
            member("subject", self.text(record.subject)),
            member("state", .string(record.state.rawValue)),
            member("attempts", .integer(Int64(record.attemptCount))),
            member("received_at", .string(DeliveryTime.milliseconds(record.received.receivedAt))),
            member("next_attempt_at", self.text(record.nextAttemptAt.map(DeliveryTime.milliseconds))),
            member("last_error", self.text(record.lastError)),
            member("skip_reason", self.text(record.skipReason)),
            member("replays", .integer(Int64(record.replayCount))),
            member("origin", .string(record.received.origin.rawValue)),
        ]
    }

    private static func receivedMembers(
        _ record: DeliveryRecord,
        redactingSignature: Bool = false
    ) -> [JSONValue.Member] {
        let received = record.received
        let signature = redactingSignature ? received.headers.signature.map(self.redacted) : received.headers.signature
        return [
            member("event_created_at", .string(DeliveryTime.milliseconds(received.eventCreated))),
            member("updated_at", .string(DeliveryTime.milliseconds(record.updatedAt))),
            member("prepared_at", self.text(record.preparedAt.map(DeliveryTime.milliseconds))),
            member("ordering_key", self.text(record.orderingKey)),
            member("routed", .bool(received.isRouted)),
            member("key_label", self.text(received.keyLabel)),
            member("peer", self.text(received.peerAddress)),
            member(
                "headers",
                .object([
                    member("stripe_signature", self.text(signature)),
                    member("content_type", self.text(received.headers.contentType)),
                    member("user_agent", self.text(received.headers.userAgent)),
                    member("request_id", self.text(received.headers.requestID)),
                ])
            ),
            member("body_bytes", .integer(Int64(received.body.count))),
        ]
    }

    /// A signature header with every value but the timestamp replaced by `(redacted)`.
    static func redacted(_ header: String) -> String {
        header.split(separator: ",", omittingEmptySubsequences: false).map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard parts.count == 2, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber }) else {
                return "(redacted)"
            }
            return name == "t" && parts[1].allSatisfy(\.isNumber) ? "t=\(parts[1])" : "\(name)=(redacted)"
        }.joined(separator: ",")
    }

    private static func attempt(_ attempt: DeliveryAttempt) -> JSONValue {
        .object([
            member("number", .integer(Int64(attempt.number))),
            member("replay", .integer(Int64(attempt.replayGeneration))),
            member("started_at", .string(DeliveryTime.milliseconds(attempt.report.startedAt))),
            member("duration_ms", .number(Self.milliseconds(attempt.report.duration))),
            member("upstream_status", attempt.report.upstreamStatus.map { .integer(Int64($0)) } ?? .null),
            member("error", self.text(attempt.report.error)),
        ])
    }

    private static func message(_ message: OutboundMessage) -> JSONValue {
        let parsed = try? JSONValueParser.parse(Array(message.body))
        return .object([
            member("content_type", .string(message.contentType)),
            member("event", parsed ?? self.text(String(validating: message.body, as: UTF8.self))),
        ])
    }

    /// A duration in milliseconds with microsecond precision.
    static func milliseconds(_ duration: Duration) -> Double {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        return Double(microseconds) / 1000
    }

    private static func text(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    private static func member(_ key: String, _ value: JSONValue) -> JSONValue.Member {
        JSONValue.Member(key: key, value: value)
    }
}
