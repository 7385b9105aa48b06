import Foundation
import HookgateCore
import HookgateStore

/// The filters of `hookgate deliveries list`, as the admin API takes them: query parameters of
/// `GET /deliveries` and `GET /deliveries/count`, or the string members of `POST /replay`'s `"filter"` object.
///
/// Names: `endpoint`, `state` (pending, delivering, delivered, skipped, dead), `type`, `catalog_type`, `event`,
/// `subject`, `since` and `until` (RFC 3339, or a time ago such as `30m`, `2h`, `3d`).
enum AdminAPIDeliveryFilter {
    /// Every filter name.
    static let names: Set<String> = [
        "endpoint", "state", "type", "catalog_type", "event", "subject", "since", "until",
    ]

    /// The longest filter value accepted, in bytes.
    static let maximumValueBytes = 256

    /// Why a filter was refused: the message of a 400 `invalid_filter`.
    struct Invalid: Error {
        var message: String
    }

    /// A query with the filters among `parameters` (other names are left to the caller) and `limit`.
    /// - Throws: ``Invalid`` for an unknown state, an unreadable time or a value longer than
    ///   ``maximumValueBytes``.
    static func query(_ parameters: [String: String], limit: Int, now: Date) throws(Invalid) -> DeliveryQuery {
        for name in names {
            if let value = parameters[name], value.utf8.count > maximumValueBytes {
                throw Invalid(message: "\(name) is longer than \(maximumValueBytes) bytes")
            }
        }
        var filter = DeliveryQuery(limit: limit)
        filter.endpoint = parameters["endpoint"]
        filter.eventType = parameters["type"]
        filter.catalogType = parameters["catalog_type"]
        filter.eventID = parameters["event"]
        filter.subject = parameters["subject"]
        if let state = parameters["state"] {
            guard let parsed = DeliveryState(rawValue: state) else {
                let states = DeliveryState.allCases.map(\.rawValue).joined(separator: ", ")
                throw Invalid(message: "state must be one of \(states)")
            }
            filter.state = parsed
        }
        for (name, keyPath) in [("since", \DeliveryQuery.receivedFrom), ("until", \DeliveryQuery.receivedBefore)] {
            guard let text = parameters[name] else { continue }
            guard let time = TimeArgument(argument: text) else {
                throw Invalid(message: "\(name) must be RFC 3339 or a time ago (30m, 2h, 3d)")
            }
            filter[keyPath: keyPath] = time.date(now: now)
        }
        return filter
    }

    /// The filters of a JSON object such as `{"state":"dead","endpoint":"stripe"}`: at least one, each a known
    /// name with a string value.
    /// - Throws: ``Invalid`` for anything else, or a filter ``query(_:limit:now:)`` refuses.
    static func query(_ object: JSONValue, limit: Int, now: Date) throws(Invalid) -> DeliveryQuery {
        guard case .object(let members) = object, !members.isEmpty else {
            throw Invalid(
                message: "filter must be an object with at least one of \(names.sorted().joined(separator: ", "))"
            )
        }
        var parameters: [String: String] = [:]
        for member in members {
            guard names.contains(member.key) else {
                throw Invalid(
                    message: "filter has no \(member.key.prefix(40)): use \(names.sorted().joined(separator: ", "))"
                )
            }
            guard case .string(let value) = member.value else {
                throw Invalid(message: "filter \(member.key) must be a string")
            }
            parameters[member.key] = value
        }
        return try query(parameters, limit: limit, now: now)
    }
}
