import Foundation
import HookgateCore

/// One event of a page of Stripe's Events API (`GET /v1/events`): what reconciliation looks up and reports. What it
/// stores is the event fetched on its own (`GET /v1/events/{id}`), byte for byte.
struct ListedEvent: Sendable, Hashable {
    /// The longest id and type read.
    static let maximumFieldLength = 255

    /// `evt_...`.
    var id: String
    /// E.g. `payment_intent.succeeded`.
    var type: String
    /// The event's `created` time.
    var created: Date
    /// The event's `livemode`, when it has one.
    var livemode: Bool?

    /// The event in `value`; `nil` when it is not an event with an id (`evt_` and letters, digits or `_`, so it
    /// is safe in a request path), a type and an integer `created`.
    init?(_ value: JSONValue) {
        guard case .string(let id)? = value["id"], id.hasPrefix("evt_"), id.utf8.count <= Self.maximumFieldLength,
            id.utf8.allSatisfy(Self.isIDByte),
            case .string(let type)? = value["type"], !type.isEmpty, type.utf8.count <= Self.maximumFieldLength,
            case .integer(let created)? = value["created"]
        else { return nil }
        self.id = id
        self.type = type
        self.created = Date(timeIntervalSince1970: TimeInterval(created))
        if case .bool(let livemode)? = value["livemode"] { self.livemode = livemode }
    }

    /// A letter, a digit or `_`.
    private static func isIDByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte)
            || (0x61...0x7A).contains(byte)
    }
}
