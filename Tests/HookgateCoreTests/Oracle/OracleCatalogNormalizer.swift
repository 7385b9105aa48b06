import HookgateCore

/// Builds the catalog events of one Stripe event whose type maps to a catalog type.
struct OracleCatalogNormalizer {
    let event: OracleStripeEvent
    let options: NormalizationOptions

    /// The kind of Stripe object (`data.object.object`): `payment_intent`, `charge`, `refund`, ...
    var objectKind: String? { try? self.event.object.optionalString("object") }

    /// The payment an object belongs to: a payment intent's id; a charge's payment intent, else its id; a
    /// refund's payment intent, else its charge. `nil` for other objects or when the ids are unreadable.
    static func paymentKey(of object: OracleObjectReader) -> String? {
        let id = try? object.optionalString("id")
        let paymentIntent = try? object.reference("payment_intent")
        switch try? object.optionalString("object") {
        case "payment_intent": return id
        case "charge": return paymentIntent ?? id
        case "refund": return paymentIntent ?? (try? object.reference("charge"))
        default: return nil
        }
    }

    /// The error for an object `type` cannot be made from.
    func unsupportedObject(for type: CatalogEventType, expected: String) -> NormalizationError {
        NormalizationError(
            code: .unsupportedObject,
            reason: "\(type.rawValue) is made from \(expected), not from "
                + (self.objectKind.map { "a \($0)" } ?? "an object without a kind"),
            path: self.event.object.path.appending("object")
        )
    }

    /// One catalog event of this Stripe event.
    func normalizedEvent(
        id: String,
        type: CatalogEventType,
        subject: String,
        orderingKey: String,
        factKey: String,
        supersededByFactKey: String? = nil,
        data: [(String, JSONValue)]
    ) -> NormalizedEvent {
        NormalizedEvent(
            id: id,
            type: type.rawValue,
            subject: subject,
            orderingKey: orderingKey,
            factKey: factKey,
            supersededByFactKey: supersededByFactKey,
            created: self.event.created,
            body: self.event.cloudEvent(
                id: id,
                type: type.rawValue,
                subject: subject,
                dataschema: self.options.dataschema(for: type),
                data: .object(data.map { JSONValue.Member(key: $0.0, value: $0.1) })
            )
        )
    }
}

extension JSONValue {
    /// `string(value)`, or `null` when `value` is `nil`.
    static func oracleNullable(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }
}
