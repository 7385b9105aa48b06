import HookgateCore

extension ConfigurationLoader {
    /// What `hookgate reconcile` needs of `serve`'s configuration: the file (as ``load(configPath:environment:)``
    /// finds it) with the environment's overrides, validated, and Stripe's API key. No endpoint secret is read and
    /// no certificate file checked, so it runs on a production host without the webhook secrets' variables.
    /// - Returns: The configuration and the API settings (`nil` without a key).
    /// - Throws: ``ConfigurationError`` listing every problem; it never contains a secret.
    static func reconcileConfiguration(
        configPath: String?,
        environment: [String: String]
    ) throws(ConfigurationError) -> (configuration: HookgateConfiguration, stripeAPI: StripeAPISettings?) {
        let sourcePath = Self.locate(configPath: configPath, environment: environment)
        var issues: [ConfigurationIssue] = []
        let overrides = EnvironmentOverrides(environment: environment, issues: &issues)
        let configuration = overrides.applied(to: try Self.read(sourcePath, issues: issues))
        issues += configuration.validationIssues()
        let stripeAPI = StripeAPIKeyResolver(environment: environment).resolve(configuration.stripe, issues: &issues)
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        return (configuration, stripeAPI)
    }
}
