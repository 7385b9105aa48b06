import Glibc
import HookgateCore

/// One request the sink answered, as it is reported.
struct ReceivedRequest {
    /// When the request was complete: Unix seconds and the millisecond within.
    var receivedAt: (seconds: Int64, milliseconds: Int)
    var method: String
    var path: String
    /// `Hookgate-Delivery-Id`, as sent.
    var deliveryID: String?
    /// `Hookgate-Attempt`, as sent.
    var attempt: String?
    var contentType: String?
    /// Whether the signature checked out; `nil` when the sink does not check signatures.
    var verified: Bool?
    /// Why the signature was refused (and the request answered 401).
    var refusal: String?
    /// The status the sink answered.
    var status: Int
    /// The body; empty when it was over the size limit.
    var body: [UInt8]
    /// The body's length as received.
    var bodyBytes: Int

    /// The wall clock now.
    static func now() -> (seconds: Int64, milliseconds: Int) {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return (Int64(time.tv_sec), Int(time.tv_nsec / 1_000_000))
    }

    /// The body as JSON, when it is JSON.
    var event: JSONValue? { try? JSONValueParser.parse(self.body) }

    /// One JSON object (no newline): `received_at`, `method`, `path`, `delivery_id`, `attempt`,
    /// `content_type`, `status`, `verified` (when checked), `refusal` (why not verified), `body_bytes`, and
    /// `event` (the body as JSON) or
    /// `body_base64`.
    var jsonLine: String {
        func number(_ text: String?) -> JSONValue {
            guard let text else { return .null }
            return Int64(text).map(JSONValue.integer) ?? .string(text)
        }
        var members: [JSONValue.Member] = [
            .init(
                key: "received_at",
                value: .string(
                    UnixTime.rfc3339(milliseconds: self.receivedAt.seconds * 1000 + Int64(self.receivedAt.milliseconds))
                )
            ),
            .init(key: "method", value: .string(self.method)),
            .init(key: "path", value: .string(self.path)),
            .init(key: "delivery_id", value: number(self.deliveryID)),
            .init(key: "attempt", value: number(self.attempt)),
            .init(key: "content_type", value: self.contentType.map(JSONValue.string) ?? .null),
            .init(key: "status", value: .integer(Int64(self.status))),
        ]
        if let verified { members.append(.init(key: "verified", value: .bool(verified))) }
        if let refusal { members.append(.init(key: "refusal", value: .string(refusal))) }
        members.append(.init(key: "body_bytes", value: .integer(Int64(self.bodyBytes))))
        if let event {
            members.append(.init(key: "event", value: event))
        } else {
            members.append(.init(key: "body_base64", value: .string(Base64.encode(self.body))))
        }
        return JSONValue.object(members).serialized()
    }

    /// One line for a person: local time, request, event type, subject, event id, delivery, attempt, answer,
    /// e.g. `12:00:01.234  POST /events  payment-succeeded  pi_123  evt_1  delivery 42 attempt 1  → 200`.
    var humanLine: String {
        var parts = [Self.localClock(self.receivedAt), "\(self.method) \(self.path)"]
        if let event, case .object = event {
            // CloudEvents carry `subject`; a raw Stripe event names its object in data.object.id.
            let subject = event["subject"] ?? event["data"]?["object"]?["id"]
            for value in [event["type"], subject, event["id"]] {
                if case .string(let text) = value { parts.append(text) }
            }
        } else {
            parts.append("(\(self.bodyBytes) bytes, not JSON)")
        }
        var delivery: [String] = []
        if let deliveryID { delivery.append("delivery \(deliveryID)") }
        if let attempt { delivery.append("attempt \(attempt)") }
        if let verified { delivery.append(verified ? "verified" : "NOT verified (\(self.refusal ?? "bad signature"))") }
        if !delivery.isEmpty { parts.append(delivery.joined(separator: " ")) }
        parts.append("→ \(self.status)")
        return parts.joined(separator: "  ")
    }

    /// `12:00:01.234` in the local time zone.
    private static func localClock(_ instant: (seconds: Int64, milliseconds: Int)) -> String {
        var seconds = time_t(instant.seconds)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(Self.threeDigits(instant.milliseconds))"
    }

    private static func threeDigits(_ value: Int) -> String {
        String(repeating: "0", count: max(0, 3 - String(value).count)) + String(value)
    }
}
