import Foundation
import HookgateStore

extension CommandsAdminAPI {
    /// Every filter name of `GET /commands` and `GET /commands/count`: `state` (pending, delivering, delivered,
    /// dead), `type` (payment-requested, refund-requested), `id` (a CloudEvent id), `subject` (an order id),
    /// `stripe_object` (pi_..., re_...), `since` and `until` (RFC 3339, or a time ago such as `30m`, `2h`, `3d`).
    static let filterNames = ["state", "type", "id", "subject", "stripe_object", "since", "until"]

    /// A query with the filters among `parameters` (other names are left to the caller) and `limit`.
    /// - Throws: ``AdminAPIDeliveryFilter/Invalid`` for an unknown state, an unreadable time or a value longer than
    ///   ``AdminAPIDeliveryFilter/maximumValueBytes``.
    static func query(_ parameters: [String: String], limit: Int) throws(AdminAPIDeliveryFilter.Invalid) -> CommandQuery
    {
        for name in filterNames {
            if let value = parameters[name], value.utf8.count > AdminAPIDeliveryFilter.maximumValueBytes {
                throw .init(message: "\(name) is longer than \(AdminAPIDeliveryFilter.maximumValueBytes) bytes")
            }
        }
        // The filters the two lists share are read as the deliveries' are.
        let shared = try AdminAPIDeliveryFilter.query(
            parameters.filter { ["state", "subject", "since", "until"].contains($0.key) },
            limit: limit,
            now: Date()
        )
        return CommandQuery(
            state: shared.state,
            kind: parameters["type"],
            commandID: parameters["id"],
            subject: shared.subject,
            stripeObjectID: parameters["stripe_object"],
            receivedFrom: shared.receivedFrom,
            receivedBefore: shared.receivedBefore,
            limit: limit
        )
    }
}
