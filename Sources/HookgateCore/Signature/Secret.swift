/// A webhook signing secret. Its description is always redacted, so it cannot leak through
/// string interpolation, logging or error messages.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret exactly as configured (for Stripe, the whole `whsec_...` string).
    public let value: String

    /// Creates a secret from its configured text.
    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
}

/// A secret with the label that names it in results and logs, and an optional expiry.
public struct LabelledSecret: Sendable, Hashable {
    /// Names the secret in results and logs (e.g. `current`, `rotated-2026-11`); never the secret itself.
    public var label: String
    /// The secret.
    public var secret: Secret
    /// Unix time (seconds) from which the secret no longer verifies; `nil` for no expiry.
    public var expiresAt: Int64?

    public init(label: String, secret: Secret, expiresAt: Int64? = nil) {
        self.label = label
        self.secret = secret
        self.expiresAt = expiresAt
    }
}
