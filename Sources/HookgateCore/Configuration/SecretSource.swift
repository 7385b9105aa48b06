/// Where a configured secret comes from.
public enum SecretSource: Sendable, Hashable {
    /// An environment variable, by name (`{"env": "STRIPE_WEBHOOK_SECRET"}`).
    case environment(String)
    /// A file whose contents are the secret, one final line ending dropped (`{"file": "/run/secrets/x"}`).
    case file(String)
    /// The secret written in the configuration (`{"value": "whsec_..."}`); development mode only.
    case literal(Secret)

    /// The configuration key of the source: `env`, `file` or `value`.
    public var key: String {
        switch self {
        case .environment: "env"
        case .file: "file"
        case .literal: "value"
        }
    }
}
