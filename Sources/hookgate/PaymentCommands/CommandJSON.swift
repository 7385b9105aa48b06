import Foundation
import HookgateCore
import HookgateStore

/// The JSON objects `hookgate commands` prints and the admin API answers, with snake_case keys that scripts
/// rely on. Times are RFC 3339 UTC with milliseconds.
enum CommandJSON {
    /// One line of `list --json`, one element of `GET /commands`: `id`, `command_id` (the CloudEvent id, also the
    /// `Idempotency-Key`), `kind`, `source`, `subject`, `order_id`, `amount` (the form's, in the currency's smallest
    /// unit; null for a refund of the whole rest), `currency`, `state`, `attempts`, `received_at`,
    /// `next_attempt_at`, `last_status`, `last_error`, `stripe_object` (`{"id","status"}` or null) and `updated_at`.
    static func summary(_ record: CommandRecord) -> JSONValue {
        .object(self.summaryMembers(record))
    }

    /// `show --json`, `GET /commands/{id}`: the summary, then `request` (`method`, `path`, `idempotency_key`,
    /// `form`: `[{"name","value"}]` decoded, in order), `event` (the CloudEvent as received, parsed; text when it is
    /// not JSON) and `attempt_log` (`[{"number","started_at","duration_ms","status","request_id",
    /// "idempotent_replayed","error","response"}]`, `response` being Stripe's answer parsed, or its text when it
    /// does not parse, e.g. cut at 64 KiB).
    static func detail(_ detail: CommandDetail) -> JSONValue {
        let record = detail.record
        let request = record.received.request
        return .object(
            self.summaryMembers(record) + [
                member(
                    "request",
                    .object([
                        member("method", .string(request.method)),
                        member("path", .string(request.path)),
                        member("idempotency_key", .string(request.idempotencyKey)),
                        member(
                            "form",
                            .array(
                                StripeForm.parameters(request.form).map {
                                    .object([member("name", .string($0.name)), member("value", .string($0.value))])
                                }
                            )
                        ),
                    ])
                ),
                member("event", self.parsed(record.received.body)),
                member("attempt_log", .array(detail.attempts.map(self.attempt))),
            ]
        )
    }

    private static func summaryMembers(_ record: CommandRecord) -> [JSONValue.Member] {
        let received = record.received
        let form = StripeForm.summary(of: received.request)
        let stripeObject = record.stripeObject.map {
            JSONValue.object([member("id", .string($0.id)), member("status", self.text($0.status))])
        }
        return [
            member("id", .integer(record.id.rawValue)),
            member("command_id", .string(received.commandID)),
            member("kind", .string(received.kind)),
            member("source", .string(received.source)),
            member("subject", self.text(received.subject)),
            member("order_id", self.text(form.orderID)),
            member("amount", form.amount.flatMap(Int64.init).map(JSONValue.integer) ?? .null),
            member("currency", self.text(form.currency)),
            member("state", .string(record.state.rawValue)),
            member("attempts", .integer(Int64(record.attemptCount))),
            member("received_at", .string(DeliveryTime.milliseconds(received.receivedAt))),
            member("next_attempt_at", self.text(record.nextAttemptAt.map(DeliveryTime.milliseconds))),
            member("last_status", record.lastStatus.map { .integer(Int64($0)) } ?? .null),
            member("last_error", self.text(record.lastError)),
            member("stripe_object", stripeObject ?? .null),
            member("updated_at", .string(DeliveryTime.milliseconds(record.updatedAt))),
        ]
    }

    private static func attempt(_ attempt: CommandAttempt) -> JSONValue {
        let report = attempt.report
        return .object([
            member("number", .integer(Int64(attempt.number))),
            member("started_at", .string(DeliveryTime.milliseconds(report.startedAt))),
            member("duration_ms", .number(DeliveryJSON.milliseconds(report.duration))),
            member("status", report.status.map { .integer(Int64($0)) } ?? .null),
            member("request_id", self.text(report.requestID)),
            member("idempotent_replayed", .bool(report.idempotentReplayed)),
            member("error", self.text(report.error)),
            member("response", report.response.map(self.parsed) ?? .null),
        ])
    }

    /// `data` parsed as JSON; its text (invalid UTF-8 replaced) when it does not parse.
    private static func parsed(_ data: Data) -> JSONValue {
        (try? JSONValueParser.parse(Array(data))) ?? .string(String(decoding: data, as: UTF8.self))
    }

    private static func text(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    private static func member(_ key: String, _ value: JSONValue) -> JSONValue.Member {
        JSONValue.Member(key: key, value: value)
    }
}
