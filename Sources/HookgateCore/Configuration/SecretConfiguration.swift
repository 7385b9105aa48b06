/// One labelled secret of an endpoint's keyring, as configured (not yet read).
public struct SecretConfiguration: Sendable, Hashable {
    /// Names the secret in logs and results; unique within the endpoint.
    public var label: String
    /// Where the secret comes from (exactly one of `env`, `file`, `value`).
    public var source: SecretSource
    /// Unix time (seconds) from which the secret no longer verifies (`expires_at`, RFC 3339); `nil`, the
    /// default, for never.
    public var expiresAt: Int64?

    public init(label: String, source: SecretSource, expiresAt: Int64? = nil) {
        self.label = label
        self.source = source
        self.expiresAt = expiresAt
    }
}
