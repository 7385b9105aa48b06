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

    public init(
        name: String,
        path: String,
        scheme: String,
        secrets: [SecretConfiguration],
        tolerance: TimestampTolerance = .standard,
        expectedMode: ExpectedMode = .any,
        allowedSources: [AddressRange] = [],
        maximumBodyBytes: Int? = nil
    ) {
        self.name = name
        self.path = path
        self.scheme = scheme
        self.secrets = secrets
        self.tolerance = tolerance
        self.expectedMode = expectedMode
        self.allowedSources = allowedSources
        self.maximumBodyBytes = maximumBodyBytes
    }
}
