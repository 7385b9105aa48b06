import Foundation
import HookgateCore

/// One event of a page of Stripe's Events API (`GET /v1/events`), as reconciliation stores it.
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
    /// The event as stored: the list's JSON of it, re-serialized compactly. Stripe's API is read through
    /// ``StripeAPIClient``, which answers parsed JSON, so these are not the bytes Stripe sent (member order,
    /// strings and integers are kept; whitespace is not): nothing signs them, and the worker parses the JSON.
    var body: Data

    /// The event in `value`; `nil` when it is not an event with an id, a type and an integer `created`.
    init?(_ value: JSONValue) {
        guard case .string(let id)? = value["id"], id.hasPrefix("evt_"), id.utf8.count <= Self.maximumFieldLength,
            case .string(let type)? = value["type"], !type.isEmpty, type.utf8.count <= Self.maximumFieldLength,
            case .integer(let created)? = value["created"]
        else { return nil }
        self.id = id
        self.type = type
        self.created = Date(timeIntervalSince1970: TimeInterval(created))
        if case .bool(let livemode)? = value["livemode"] { self.livemode = livemode }
        self.body = Data(value.serialized().utf8)
    }
}
