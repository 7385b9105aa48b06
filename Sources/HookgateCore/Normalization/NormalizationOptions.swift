/// How an endpoint's Stripe events are normalized.
public struct NormalizationOptions: Sendable, Hashable {
    /// Which catalog event each Stripe type becomes. Default: ``EventMapping/default``.
    public var mapping: EventMapping
    /// Whether unmapped Stripe types are forwarded as `stripe.<type>` with the raw object as data, instead of
    /// being skipped. Default: `false`.
    public var forwardUnmapped: Bool
    /// The metadata key holding the order id. Default: ``defaultOrderIdMetadataKey``.
    public var orderIdMetadataKey: String
    /// The URL the schemas live under; an event's `dataschema` is this followed by
    /// `<catalog type>/<version>.json`. Default: ``defaultDataschemaBase``.
    public var dataschemaBase: String

    /// `order_id`.
    public static let defaultOrderIdMetadataKey = "order_id"
    /// `https://schemas.hookgate.dev/payments/`, the base of the `$id` of the schemas in `Config/schemas/`.
    public static let defaultDataschemaBase = "https://schemas.hookgate.dev/payments/"

    public init(
        mapping: EventMapping = .default,
        forwardUnmapped: Bool = false,
        orderIdMetadataKey: String = NormalizationOptions.defaultOrderIdMetadataKey,
        dataschemaBase: String = NormalizationOptions.defaultDataschemaBase
    ) {
        self.mapping = mapping
        self.forwardUnmapped = forwardUnmapped
        self.orderIdMetadataKey = orderIdMetadataKey
        self.dataschemaBase = dataschemaBase
    }

    /// The `dataschema` of events of `type`, e.g.
    /// `https://schemas.hookgate.dev/payments/payment-succeeded/1.0.0.json`.
    public func dataschema(for type: CatalogEventType) -> String {
        self.dataschemaBase + type.rawValue + "/" + CatalogEventType.schemaVersion + ".json"
    }
}
