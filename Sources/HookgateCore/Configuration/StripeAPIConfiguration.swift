/// Stripe's API as configured (`stripe`): where it is and where its secret key comes from (not yet read).
///
/// With a key, the delivery worker fetches what a thin event points at and normalizes it like a snapshot
/// event; without one, thin events are forwarded raw.
public struct StripeAPIConfiguration: Sendable, Hashable {
    /// `api_base`: `https://host[:port]`, or `http://` for a loopback host (the emulator), no trailing `/`.
    /// Default: ``defaultAPIBase`` (`HOOKGATE_STRIPE_API_BASE` overrides both).
    public var apiBase: String
    /// `api_key_env`: the environment variable holding the secret key. When neither it nor ``apiKeyFile`` is
    /// set, ``defaultAPIKeyEnvironmentVariable`` is read, and its absence means no key.
    public var apiKeyEnvironmentVariable: String?
    /// `api_key_file`: the file holding the secret key (one final line ending dropped); not with `api_key_env`.
    public var apiKeyFile: String?

    /// The environment variable the key is read from when no file is named: `api_key_env`, else `STRIPE_API_KEY`.
    public var apiKeyVariable: String {
        self.apiKeyEnvironmentVariable ?? Self.defaultAPIKeyEnvironmentVariable
    }

    /// `https://api.stripe.com`.
    public static let defaultAPIBase = "https://api.stripe.com"
    /// `STRIPE_API_KEY`.
    public static let defaultAPIKeyEnvironmentVariable = "STRIPE_API_KEY"

    public init(
        apiBase: String = StripeAPIConfiguration.defaultAPIBase,
        apiKeyEnvironmentVariable: String? = nil,
        apiKeyFile: String? = nil
    ) {
        self.apiBase = apiBase
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
        self.apiKeyFile = apiKeyFile
    }
}
