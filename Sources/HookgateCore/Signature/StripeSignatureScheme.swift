/// Stripe's webhook signatures.
///
/// `Stripe-Signature: t=<unix>,v1=<hex>...`; each `v1` is HMAC-SHA256 over `"<t>.<raw body>"`, keyed with
/// the whole secret string (`whsec_` included). Any `v1` matching any active key passes (rotation: Stripe
/// sends one `v1` per secret). The signature is checked before the timestamp, as the SDKs do, so a
/// `timestamp_outside_tolerance` answer always means the signature itself was genuine.
public struct StripeSignatureScheme: SignatureScheme {
    public init() {}

    public var name: String { "stripe" }
    public var headerNames: [String] { ["stripe-signature"] }

    public func makeKey(_ secret: Secret, label: String) throws(SecretFormatError) -> HMACKey {
        guard !secret.value.isEmpty else { throw SecretFormatError(label: label, reason: "the secret is empty") }
        do {
            return try HMACKey(bytes: secret.value.utf8)
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
        guard var value = headers["stripe-signature"], !value.isEmpty else { throw .missing("Stripe-Signature") }
        let result: Result<VerifiedSignature, VerificationError> = value.withUTF8 { utf8 in
            Result { () throws(VerificationError) in
                let header = try StripeSignatureHeader(parsing: utf8)
                return try Self.check(header, body: body, keyring: keyring, tolerance: tolerance, now: now)
            }
        }
        return try result.get()
    }

    private static func check(
        _ header: borrowing StripeSignatureHeader,
        body: UnsafeRawBufferPointer,
        keyring: Keyring,
        tolerance: TimestampTolerance,
        now: Int64
    ) throws(VerificationError) -> VerifiedSignature {
        let timestamp = header.timestamp
        func signs(_ entry: Keyring.Entry) -> Bool {
            header.containsSignature(
                matching: Self.authenticationCode(key: entry.key, timestamp: timestamp, body: body)
            )
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
        // Only on failure: tell an expired key apart from a wrong one.
        for entry in keyring.entries where !entry.isActive(at: now) && signs(entry) {
            throw .expired(label: entry.label, timestamp: timestamp)
        }
        throw .mismatch(signatureCount: header.signatureCount, keyCount: activeKeys, timestamp: timestamp)
    }

    public func sign(
        body: UnsafeRawBufferPointer,
        keys: [HMACKey],
        timestamp: Int64,
        messageID: String?
    )
        -> SignatureHeaders
    {
        var value = "t=\(timestamp)"
        for key in keys {
            value += ",v1=" + Self.authenticationCode(key: key, timestamp: timestamp, body: body).hexString
        }
        return ["Stripe-Signature": value]
    }

    /// HMAC-SHA256 of the signed payload `"<t>.<raw body>"`, fed in three parts so nothing is copied.
    private static func authenticationCode(key: HMACKey, timestamp: Int64, body: UnsafeRawBufferPointer) -> SHA256MAC {
        key.authenticationCode { stream in
            stream.update(decimal: timestamp)
            stream.update(byte: UInt8(ascii: "."))
            stream.update(body)
        }
    }
}
