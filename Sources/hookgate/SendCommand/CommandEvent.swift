import Foundation
import HookgateCore

/// The CloudEvent `hookgate send-command` builds from its options: a payment-requested or refund-requested in
/// structured JSON mode, members in the schema's order, optional ones only when given.
struct CommandEvent {
    /// The CloudEvent `id` (a fresh UUID unless `--id` gave one).
    var id: String
    /// The command type.
    var kind: CommandKind
    /// The CloudEvent `source`.
    var source: String
    /// The order the command is about (`subject` and `data.orderId`).
    var orderID: String
    /// `data`'s other members, in order.
    var data: [(key: String, value: JSONValue)]

    /// The CloudEvent's JSON text.
    var body: [UInt8] {
        let members: [(String, JSONValue)] = [
            ("specversion", .string("1.0")), ("id", .string(self.id)), ("source", .string(self.source)),
            ("type", .string(self.kind.rawValue)), ("subject", .string(self.orderID)),
            ("time", .string(UnixTime.rfc3339(Int64(Date().timeIntervalSince1970)))),
            ("datacontenttype", .string("application/json")),
            ("dataschema", .string(self.kind.schemaID)),
            (
                "data",
                .object(
                    [.init(key: "orderId", value: .string(self.orderID))]
                        + self.data.map { .init(key: $0.key, value: $0.value) }
                )
            ),
        ]
        return Array(JSONValue.object(members.map { .init(key: $0.0, value: $0.1) }).serialized().utf8)
    }

}
