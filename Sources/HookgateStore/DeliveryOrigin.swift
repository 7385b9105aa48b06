/// How a delivery reached the store.
public enum DeliveryOrigin: String, Hashable, Sendable, CaseIterable {
    /// A signed webhook request, verified by the gateway.
    case webhook
    /// An event the gateway never received as a webhook, fetched by `hookgate reconcile` from the provider's API
    /// over TLS with the API key: authentic by its source, not by a signature (it has none).
    case reconciled

    /// The value of the `origin` column: NULL for a webhook, so the webhook append binds nothing new to a column.
    var storedValue: String? { self == .webhook ? nil : rawValue }

    /// The origin of a stored `origin` value (NULL or an unknown value is a webhook).
    init(storedValue: String?) {
        self = storedValue.flatMap(DeliveryOrigin.init(rawValue:)) ?? .webhook
    }
}
