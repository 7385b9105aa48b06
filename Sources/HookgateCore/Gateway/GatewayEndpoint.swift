/// One webhook endpoint: a path, the scheme and keys that verify its requests, and its input rules.
public struct GatewayEndpoint: Sendable {
    /// The endpoint's name, used in logs, metrics (a bounded label) and the store.
    public var name: String
    /// The exact request path, e.g. `/webhooks/stripe`.
    public var path: String
    /// How requests are signed.
    public var scheme: any SignatureScheme
    /// The keys that verify them.
    public var keyring: Keyring
    /// How far signature timestamps may lie from the clock.
    public var tolerance: TimestampTolerance
    /// Which events are accepted by their `livemode`.
    public var expectedMode: ExpectedMode
    /// Peers allowed to call the endpoint; empty allows every address.
    public var allowedSources: [AddressRange]
    /// The largest body accepted, in bytes, after any gzip decoding.
    public var maximumBodyBytes: Int
    /// What the delivery worker forwards: normalized CloudEvents or the raw body.
    public var forwardMode: ForwardMode
    /// How events are normalized when ``forwardMode`` is ``ForwardMode/normalized``.
    public var normalization: NormalizationOptions

    public init(
        name: String,
        path: String,
        scheme: any SignatureScheme,
        keyring: Keyring,
        tolerance: TimestampTolerance = .standard,
        expectedMode: ExpectedMode = .any,
        allowedSources: [AddressRange] = [],
        maximumBodyBytes: Int = 1 << 20,
        forwardMode: ForwardMode = .normalized,
        normalization: NormalizationOptions = NormalizationOptions()
    ) {
        self.name = name
        self.path = path
        self.scheme = scheme
        self.keyring = keyring
        self.tolerance = tolerance
        self.expectedMode = expectedMode
        self.allowedSources = allowedSources
        self.maximumBodyBytes = maximumBodyBytes
        self.forwardMode = forwardMode
        self.normalization = normalization
    }

    /// Whether a peer may call this endpoint (`address` is 4 or 16 bytes).
    public func allows(peer address: [UInt8]) -> Bool {
        self.allowedSources.isEmpty || self.allowedSources.contains { $0.contains(address) }
    }
}

/// Which events an endpoint accepts, by the event's `livemode`.
public enum ExpectedMode: String, Sendable, Hashable, CaseIterable {
    /// Only `"livemode": true`.
    case live
    /// Only `"livemode": false`.
    case test
    /// Either.
    case any

    /// Whether an event with this `livemode` is accepted.
    public func accepts(livemode: Bool) -> Bool {
        switch self {
        case .live: livemode
        case .test: !livemode
        case .any: true
        }
    }
}
