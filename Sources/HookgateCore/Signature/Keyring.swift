/// The labelled secrets of one endpoint, prepared as HMAC keys for one signature scheme.
///
/// Several keys verify at once during a rotation; each may expire. A keyring is built once (at start-up or
/// reload) and shared by every request of its endpoint.
public struct Keyring: Sendable {
    /// One prepared key.
    public struct Entry: Sendable {
        /// The label of the secret this key was made from.
        public let label: String
        /// Unix time (seconds) from which this key no longer verifies; `nil` for never.
        public let expiresAt: Int64?
        /// The prepared HMAC key.
        public let key: HMACKey

        /// Whether the key still verifies at `now`.
        public func isActive(at now: Int64) -> Bool {
            guard let expiresAt else { return true }
            return now < expiresAt
        }
    }

    /// The name of the scheme the keys were prepared for.
    public let schemeName: String
    /// The keys, in the configured order (the first active match wins).
    public let entries: [Entry]

    /// Prepares every secret for `scheme`.
    /// - Throws: ``SecretFormatError`` naming the label of a secret the scheme cannot use.
    public init(scheme: some SignatureScheme, secrets: [LabelledSecret]) throws(SecretFormatError) {
        var entries: [Entry] = []
        entries.reserveCapacity(secrets.count)
        for secret in secrets {
            let key = try scheme.makeKey(secret.secret, label: secret.label)
            entries.append(Entry(label: secret.label, expiresAt: secret.expiresAt, key: key))
        }
        self.schemeName = scheme.name
        self.entries = entries
    }
}

/// A secret that a scheme cannot turn into a key (for example bad base64 in a Standard Webhooks secret).
/// The message names the label and the problem, never the secret.
public struct SecretFormatError: Error, Hashable, CustomStringConvertible {
    /// The label of the offending secret.
    public let label: String
    /// What is wrong with it.
    public let reason: String

    public init(label: String, reason: String) {
        self.label = label
        self.reason = reason
    }

    public var description: String { "secret \"\(self.label)\": \(self.reason)" }
}
