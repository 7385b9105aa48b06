/// Whether Hookgate may fill gaps with development fallbacks.
public enum DeploymentMode: String, Sendable, Hashable, CaseIterable {
    /// The default: an unset secret variable gets a generated secret (printed once), a missing certificate
    /// gets a generated self-signed one, and literal secrets are allowed.
    case development
    /// No fallbacks: every secret and certificate must exist, and literal secrets are refused.
    case production
}
