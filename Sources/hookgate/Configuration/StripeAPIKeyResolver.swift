import HookgateCore

/// Finds Stripe's API key: the file `stripe.api_key_file`, else the variable `stripe.api_key_env` (default
/// `STRIPE_API_KEY`). An unset or empty variable means no key (thin events are then forwarded raw); a file that
/// cannot be read, or a key that cannot go into a header, is an issue. Problems never quote the key.
struct StripeAPIKeyResolver {
    let environment: [String: String]

    /// The settings of `configured`; `nil` without a key, or with the reason added to `issues`.
    func resolve(_ configured: StripeAPIConfiguration, issues: inout [ConfigurationIssue]) -> StripeAPISettings? {
        let stripe = JSONPath.root.appending("stripe")
        let key: String
        let source: String
        let location: String
        if let file = configured.apiKeyFile {
            location = stripe.appending("api_key_file").description
            do {
                key = try SecretResolver.read(file)
            } catch {
                issues.append(ConfigurationIssue(code: .unreadableFile, location: location, reason: error.message))
                return nil
            }
            source = "file \(file)"
        } else {
            let name = configured.apiKeyVariable
            guard let value = self.environment[name], !value.isEmpty else { return nil }
            (key, source, location) = (value, "environment variable \(name)", name)
        }
        if let problem = StripeAPISettings.keyProblem(key) {
            issues.append(ConfigurationIssue(code: .unusableSecret, location: location, reason: problem))
            return nil
        }
        return StripeAPISettings(apiBase: configured.apiBase, apiKey: Secret(key), keySource: source)
    }
}
