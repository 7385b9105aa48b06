/// Stripe's API as the delivery worker and `hookgate reconcile` use it: the base URL and the secret key,
/// resolved from the configuration's `stripe` section, `HOOKGATE_STRIPE_API_BASE` and the key's source.
public struct StripeAPISettings: Sendable, Hashable {
    /// `https://api.stripe.com` or another base, no trailing `/`.
    public var apiBase: String
    /// The secret key (its description is redacted).
    public var apiKey: Secret
    /// Where the key came from, for messages: `environment variable STRIPE_API_KEY` or `file /run/secrets/x`.
    public var keySource: String

    public init(apiBase: String, apiKey: Secret, keySource: String) {
        self.apiBase = apiBase
        self.apiKey = apiKey
        self.keySource = keySource
    }

    /// The longest key accepted.
    public static let maximumKeyLength = 1_024

    /// What is wrong with `key` as a Stripe API key (never quoting it), or `nil` when it is usable: 1 to 1024
    /// printable ASCII characters without spaces (it goes into an `Authorization` header).
    public static func keyProblem(_ key: String) -> String? {
        guard !key.isEmpty, key.utf8.count <= Self.maximumKeyLength else {
            return "the API key must be 1 to \(Self.maximumKeyLength) characters"
        }
        guard key.utf8.allSatisfy({ (0x21..<0x7F).contains($0) }) else {
            return "the API key must be printable ASCII without spaces (a copy-paste slip?)"
        }
        return nil
    }
}
