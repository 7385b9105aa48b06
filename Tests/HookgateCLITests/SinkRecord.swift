import Foundation
import Glibc
import HookgateCore

/// One request `hookgate sink --format json` reported: a parsed JSON line.
struct SinkRecord {
    /// `Hookgate-Delivery-Id`.
    let deliveryID: Int64
    /// `Hookgate-Attempt`.
    let attempt: Int64
    /// The status the sink answered.
    let status: Int64
    /// When the request was complete, Unix milliseconds.
    let receivedAtMilliseconds: Int64
    let contentType: String?
    /// The body, parsed (the CloudEvent).
    let event: JSONValue?

    /// Reads a line; `nil` when it is no sink report.
    init?(line: Substring) {
        guard let object = try? JSONValueParser.parse(String(line)),
            case .integer(let deliveryID) = object["delivery_id"], case .integer(let attempt) = object["attempt"],
            case .integer(let status) = object["status"], case .string(let receivedAt) = object["received_at"],
            let milliseconds = Self.unixMilliseconds(receivedAt)
        else { return nil }
        self.deliveryID = deliveryID
        self.attempt = attempt
        self.status = status
        self.receivedAtMilliseconds = milliseconds
        if case .string(let type) = object["content_type"] { self.contentType = type } else { self.contentType = nil }
        self.event = object["event"]
    }

    /// The CloudEvent's string attribute `name`.
    func attribute(_ name: String) -> String? {
        if case .string(let value) = self.event?[name] { value } else { nil }
    }

    /// Whether the sink answered 2xx.
    var acknowledged: Bool { (200..<300).contains(self.status) }

    /// `2026-11-26T07:16:53.123Z` in Unix milliseconds.
    private static func unixMilliseconds(_ text: String) -> Int64? {
        guard let dot = text.lastIndex(of: "."), text.hasSuffix("Z"),
            let milliseconds = Int64(text[text.index(after: dot)..<text.index(before: text.endIndex)]),
            let seconds = UnixTime.parseRFC3339(text[..<dot] + "Z")
        else { return nil }
        return seconds * 1000 + milliseconds
    }
}

extension SinkProcess {
    /// The requests reported so far (complete lines only).
    var records: [SinkRecord] {
        let text = self.stdout
        guard let end = text.lastIndex(of: "\n") else { return [] }
        return text[..<end].split(separator: "\n").compactMap(SinkRecord.init(line:))
    }

    /// Waits (at most `timeout` seconds) until `count` requests are reported and returns them.
    func waitForRecords(_ count: Int, timeout: TimeInterval = 20) throws -> [SinkRecord] {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while self.records.count < count, ContinuousClock.now < deadline { usleep(10_000) }
        let records = self.records
        guard records.count >= count else {
            throw GatewayProcessError(message: "sink reported \(records.count) of \(count) requests:\n\(self.stdout)")
        }
        return records
    }
}
