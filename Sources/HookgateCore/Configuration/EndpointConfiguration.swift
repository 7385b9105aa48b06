/// One webhook endpoint as configured (`endpoints[]`); its secrets are not yet read.
public struct EndpointConfiguration: Sendable, Hashable {
    /// Unique name used in logs, metrics and the store (`name`; letters, digits, `.`, `_`, `-`; at most 64).
    public var name: String
    /// Unique exact request path starting with `/` (`path`).
    public var path: String
    /// The signature scheme's name, one of ``SignatureSchemes/all`` (`scheme`: `stripe`, `standard-webhooks`).
    public var scheme: String
    /// The keyring, at least one secret (`secrets`).
    public var secrets: [SecretConfiguration]
    /// Accepted timestamp skew (`tolerance`). Default: ``TimestampTolerance/standard``, 300 s each way.
    public var tolerance: TimestampTolerance
    /// Which events are accepted by their `livemode` (`mode`). Default: ``ExpectedMode/any``.
    public var expectedMode: ExpectedMode
    /// Peers allowed to call the endpoint (`allowed_sources`, CIDRs). Default: empty, every address.
    public var allowedSources: [AddressRange]
    /// The endpoint's body limit in bytes (`max_body_bytes`); `nil`, the default, for the global limit.
    public var maximumBodyBytes: Int?
    /// What the delivery worker forwards (`forward`: `normalized` or `raw`). Default: ``ForwardMode/normalized``.
    public var forwardMode: ForwardMode
    /// Whether Stripe types without a mapping are forwarded as `stripe.<type>` (`forward_unmapped`). Default:
    /// `false`, they are stored and skipped.
    public var forwardUnmapped: Bool
    /// The metadata key holding the order id (`order_id_metadata_key`). Default: `order_id`.
    public var orderIdMetadataKey: String
    /// Targets replacing or adding to ``EventMapping/default`` (`mapping`: Stripe type to a catalog type or
    /// `skip`). Default: none.
    public var mappingOverrides: [String: EventMapping.Target]

    public init(
        name: String,
        path: String,
        scheme: String,
        secrets: [SecretConfiguration],
        tolerance: TimestampTolerance = .standard,
        expectedMode: ExpectedMode = .any,
        allowedSources: [AddressRange] = [],
        maximumBodyBytes: Int? = nil,
        forwardMode: ForwardMode = .normalized,
        forwardUnmapped: Bool = false,
        orderIdMetadataKey: String = NormalizationOptions.defaultOrderIdMetadataKey,
        mappingOverrides: [String: EventMapping.Target] = [:]
    ) {
        self.name = name
        self.path = path
        self.scheme = scheme
        self.secrets = secrets
        self.tolerance = tolerance
        self.expectedMode = expectedMode
        self.allowedSources = allowedSources
        self.maximumBodyBytes = maximumBodyBytes
        self.forwardMode = forwardMode
        self.forwardUnmapped = forwardUnmapped
        self.orderIdMetadataKey = orderIdMetadataKey
        self.mappingOverrides = mappingOverrides
    }

    /// How the endpoint's events are normalized: the default mapping with the overrides, and the options.
    public var normalizationOptions: NormalizationOptions {
        NormalizationOptions(
            mapping: EventMapping.default.overriding(with: self.mappingOverrides),
            forwardUnmapped: self.forwardUnmapped,
            orderIdMetadataKey: self.orderIdMetadataKey
        )
    }
}
