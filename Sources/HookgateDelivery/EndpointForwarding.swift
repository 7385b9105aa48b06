public import HookgateCore

/// What the worker forwards for the deliveries of one endpoint.
public enum EndpointForwarding: Sendable, Hashable {
    /// CloudEvents of the payment catalog, normalized with these options.
    case normalized(NormalizationOptions)
    /// The verified original body and content type, untouched (`"forward": "raw"`).
    case raw
}

extension EndpointForwarding {
    /// What the configured endpoint forwards.
    public init(_ endpoint: GatewayEndpoint) {
        switch endpoint.forwardMode {
        case .normalized: self = .normalized(endpoint.normalization)
        case .raw: self = .raw
        }
    }
}
