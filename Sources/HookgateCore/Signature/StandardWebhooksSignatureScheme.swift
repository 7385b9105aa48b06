/// The Standard Webhooks signature scheme (standardwebhooks.com, symmetric `v1`).
///
/// Headers `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64> [v1,<base64> ...]`
/// (space-separated). Each `v1` is base64 HMAC-SHA256 over `"<id>.<timestamp>.<raw body>"`, keyed with the
/// base64-decoded secret after its `whsec_` prefix. Asymmetric `v1a` signatures and unknown versions are
/// ignored.
public struct StandardWebhooksSignatureScheme: SignatureScheme {
    /// The longest `webhook-id` accepted.
    static let maximumIDLength = 256
    /// The longest `webhook-signature` value read.
    static let maximumSignatureHeaderLength = 4096
    /// The most `v1` signatures read.
    static let maximumSignatures = 16

    public init() {}

    public var name: String { "standard-webhooks" }
    public var headerNames: [String] { ["webhook-signature", "webhook-id", "webhook-timestamp"] }

    public func makeKey(_ secret: Secret, label: String) throws(SecretFormatError) -> HMACKey {
        var encoded = Substring(secret.value)
        if encoded.hasPrefix("whsec_") { encoded = encoded.dropFirst("whsec_".count) }
        guard let keyBytes = Base64.decode(encoded), !keyBytes.isEmpty else {
            throw SecretFormatError(label: label, reason: "not whsec_ followed by standard base64")
        }
        do {
            return try HMACKey(bytes: keyBytes)
        } catch {
            throw SecretFormatError(label: label, reason: error.description)
        }
    }

    public func verify(
        body: UnsafeRawBufferPointer,
        headers: SignatureHeaders,
        keyring: Keyring,
        tolerance: TimestampTolerance,
        now: Int64
    ) throws(VerificationError) -> VerifiedSignature {
        guard let signatureHeader = headers["webhook-signature"], !signatureHeader.isEmpty else {
            throw .missing("webhook-signature")
        }
        guard let messageID = headers["webhook-id"], !messageID.isEmpty else { throw .missing("webhook-id") }
        guard let timestampText = headers["webhook-timestamp"], !timestampText.isEmpty else {
            throw .missing("webhook-timestamp")
        }
        guard messageID.utf8.count <= Self.maximumIDLength else {
            throw .malformed("the webhook-id header is longer than \(Self.maximumIDLength) bytes")
        }
        guard let timestamp = DecimalDigits.parse(Substring(timestampText)) else {
            throw .malformed("the webhook-timestamp header is not a plain decimal number")
        }
        guard signatureHeader.utf8.count <= Self.maximumSignatureHeaderLength else {
            throw .malformed(
                "the webhook-signature header is longer than \(Self.maximumSignatureHeaderLength) bytes",
                timestamp: timestamp
            )
        }
        let signatures = signatureHeader.split(separator: " ", omittingEmptySubsequences: true)
            .filter { $0.hasPrefix("v1,") }
            .map { $0.dropFirst(3) }
        guard !signatures.isEmpty else {
            throw .malformed("the webhook-signature header has no v1 signature", timestamp: timestamp)
        }
        guard signatures.count <= Self.maximumSignatures else {
            throw .malformed(
                "the webhook-signature header has more than \(Self.maximumSignatures) v1 signatures",
                timestamp: timestamp
            )
        }
        func signs(_ entry: Keyring.Entry) -> Bool {
            let mac = Self.authenticationCode(key: entry.key, messageID: messageID, timestamp: timestamp, body: body)
            var matched = false
            for signature in signatures {
                var candidate = signature
                if candidate.withUTF8({ mac.matches(base64: $0) }) { matched = true }
            }
            return matched
        }
        var activeKeys = 0
        for entry in keyring.entries where entry.isActive(at: now) {
            activeKeys += 1
            guard signs(entry) else { continue }
            if let skew = tolerance.violation(timestamp: timestamp, now: now) {
                throw .outsideTolerance(timestamp: timestamp, skew: skew, tolerance: tolerance)
            }
            return VerifiedSignature(keyLabel: entry.label, timestamp: timestamp)
        }
        for entry in keyring.entries where !entry.isActive(at: now) && signs(entry) {
            throw .expired(label: entry.label, timestamp: timestamp)
        }
        throw .mismatch(signatureCount: signatures.count, keyCount: activeKeys, timestamp: timestamp)
    }

    public func sign(
        body: UnsafeRawBufferPointer,
        keys: [HMACKey],
        timestamp: Int64,
        messageID: String?
    )
        -> SignatureHeaders
    {
        let messageID = messageID ?? ""
        let signatures = keys.map { key in
            "v1,"
                + Self.authenticationCode(key: key, messageID: messageID, timestamp: timestamp, body: body)
                .base64String
        }
        return [
            "webhook-id": messageID,
            "webhook-timestamp": String(timestamp),
            "webhook-signature": signatures.joined(separator: " "),
        ]
    }

    private static func authenticationCode(
        key: HMACKey,
        messageID: String,
        timestamp: Int64,
        body: UnsafeRawBufferPointer
    ) -> SHA256MAC {
        key.authenticationCode { stream in
            stream.update(Substring(messageID))
            stream.update(byte: UInt8(ascii: "."))
            stream.update(decimal: timestamp)
            stream.update(byte: UInt8(ascii: "."))
            stream.update(body)
        }
    }
}
