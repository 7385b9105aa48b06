import HookgateCore

/// Stripe's authentication, test mode only: `Authorization: Bearer sk_test_...` (or HTTP Basic with the key as
/// the user name, as `curl -u sk_test_...:` sends). The key is never repeated in an answer or a log.
enum APIKeyCheck {
    /// The longest key accepted.
    static let maximumKeyLength = 255

    /// `nil` when the request carries a test-mode secret or restricted key; the 401 otherwise.
    static func refusal(_ authorization: String?) -> StripeAPIError? {
        guard let authorization, !authorization.isEmpty else {
            return .unauthorized(
                "You did not provide an API key. You need to provide your API key in the Authorization header, "
                    + "using Bearer auth (e.g. 'Authorization: Bearer sk_test_...')."
            )
        }
        guard let key = Self.key(authorization), key.count <= Self.maximumKeyLength else {
            return .unauthorized("Invalid Authorization header: use 'Authorization: Bearer sk_test_...'.")
        }
        guard key.hasPrefix("sk_test_") || key.hasPrefix("rk_test_"), key.count > "sk_test_".count else {
            return .unauthorized(
                "Invalid API Key provided. Hookgate's emulator accepts test-mode keys only (sk_test_... or rk_test_...)."
            )
        }
        return nil
    }

    private static func key(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0].lowercased() {
        case "bearer":
            return String(parts[1])
        case "basic":
            guard let decoded = Base64.decode(parts[1]), let text = String(validating: decoded, as: UTF8.self) else {
                return nil
            }
            return String(text.prefix { $0 != ":" })
        default:
            return nil
        }
    }
}
