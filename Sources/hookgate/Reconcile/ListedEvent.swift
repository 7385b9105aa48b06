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
        guard case .string(let id)? = value["id"], StripeID.isValid(id, prefix: "evt_"),
            case .string(let type)? = value["type"], !type.isEmpty, type.utf8.count <= Self.maximumFieldLength,
            case .integer(let created)? = value["created"]
        else { return nil }
        self.id = id
        self.type = type
        self.created = Date(timeIntervalSince1970: TimeInterval(created))
        if case .bool(let livemode)? = value["livemode"] { self.livemode = livemode }
    }
}
