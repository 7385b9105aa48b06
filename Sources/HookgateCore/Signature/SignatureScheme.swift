/// One way of signing webhooks with HMAC-SHA256 (Stripe's, Standard Webhooks', later others).
///
/// A scheme reads its headers, rebuilds the signed content from the raw body, and checks the
/// signatures against a ``Keyring``; the gateway and the CLI only talk to this protocol.
public protocol SignatureScheme: Sendable {
    /// The stable name used in configuration and on the command line, e.g. `stripe`.
    var name: String { get }

    /// The lowercased request headers the scheme reads; the first is the one holding the signatures.
    var headerNames: [String] { get }

    /// Turns a configured secret into an HMAC key.
    /// - Throws: ``SecretFormatError`` when the secret has the wrong form for this scheme.
    func makeKey(_ secret: Secret, label: String) throws(SecretFormatError) -> HMACKey

    /// Verifies the signature of a request.
    /// - Parameters:
    ///   - body: the raw body bytes exactly as received.
    ///   - headers: at least the headers named in ``headerNames``.
    ///   - keyring: the endpoint's keys, prepared for this scheme.
    ///   - tolerance: the accepted distance between the signature's timestamp and `now`.
    ///   - now: the verifying clock, Unix seconds.
    /// - Returns: which key matched and the signature's timestamp.
    /// - Throws: ``VerificationError``.
    func verify(
        body: UnsafeRawBufferPointer,
        headers: SignatureHeaders,
        keyring: Keyring,
        tolerance: TimestampTolerance,
        now: Int64
    ) throws(VerificationError) -> VerifiedSignature

    /// Signs a body: the headers a sender sets, with one signature per key.
    /// - Parameters:
    ///   - messageID: the message id, for schemes that sign one (ignored by Stripe).
    func sign(body: UnsafeRawBufferPointer, keys: [HMACKey], timestamp: Int64, messageID: String?) -> SignatureHeaders
}

/// What a successful verification found.
public struct VerifiedSignature: Sendable, Hashable {
    /// The label of the key whose signature matched.
    public let keyLabel: String
    /// The timestamp the sender signed, Unix seconds.
    public let timestamp: Int64
}

extension SignatureScheme {
    /// Verifies a body held in an array.
    public func verify(
        body: [UInt8],
        headers: SignatureHeaders,
        keyring: Keyring,
        tolerance: TimestampTolerance,
        now: Int64
    ) throws(VerificationError) -> VerifiedSignature {
        let result: Result<VerifiedSignature, VerificationError> = body.withUnsafeBytes { raw in
            Result { () throws(VerificationError) in
                try self.verify(body: raw, headers: headers, keyring: keyring, tolerance: tolerance, now: now)
            }
        }
        return try result.get()
    }

    /// Signs a body held in an array.
    public func sign(body: [UInt8], keys: [HMACKey], timestamp: Int64, messageID: String?) -> SignatureHeaders {
        body.withUnsafeBytes { self.sign(body: $0, keys: keys, timestamp: timestamp, messageID: messageID) }
    }
}

/// The schemes Hookgate knows, by name.
public enum SignatureSchemes {
    /// Every built-in scheme.
    public static let all: [any SignatureScheme] = [StripeSignatureScheme(), StandardWebhooksSignatureScheme()]

    /// The scheme called `name`, if any.
    public static func named(_ name: String) -> (any SignatureScheme)? {
        all.first { $0.name == name }
    }
}
