/// Why a request's signature was not accepted.
///
/// ``code`` is one of a bounded, stable set (used in HTTP error bodies, `hookgate verify` output and metric
/// labels). ``reason`` is for people. Neither ever contains a secret, a signature or the body.
public struct VerificationError: Error, Hashable, CustomStringConvertible {
    /// A stable error code. New codes may be added; existing ones never change.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as it appears in JSON and on the command line, e.g. `signature_mismatch`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The signature header (or one of the scheme's headers) is absent or empty.
        public static let signatureMissing = Code("signature_missing")
        /// The header is present but cannot be read, or holds no signature of a supported version.
        public static let signatureMalformed = Code("signature_malformed")
        /// No signature matches any active key.
        public static let signatureMismatch = Code("signature_mismatch")
        /// A signature matches, but its timestamp lies outside the tolerance.
        public static let timestampOutsideTolerance = Code("timestamp_outside_tolerance")
        /// A signature matches only a key that has expired.
        public static let secretExpired = Code("secret_expired")

        /// Every code, for documentation and tests.
        public static let all: [Code] = [
            .signatureMissing, .signatureMalformed, .signatureMismatch, .timestampOutsideTolerance, .secretExpired,
        ]

        public var description: String { self.rawValue }
    }

    /// The stable code.
    public let code: Code
    /// A sentence for people; never secret material.
    public let reason: String
    /// The header's timestamp, when it could be read.
    public var timestamp: Int64?
    /// For ``Code/timestampOutsideTolerance``: `timestamp - now` in seconds (negative = in the past).
    public var skew: Int64?
    /// For ``Code/secretExpired``: the label of the expired key that matched.
    public var expiredKeyLabel: String?
    /// For ``Code/signatureMalformed``: the header only has legacy `v0` signatures.
    public var onlyLegacySignatures = false

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(self.code): \(self.reason)" }
}

extension VerificationError {
    static func missing(_ header: String) -> Self {
        Self(code: .signatureMissing, reason: "the request has no \(header) header")
    }

    static func malformed(_ reason: String, timestamp: Int64? = nil) -> Self {
        var error = Self(code: .signatureMalformed, reason: reason)
        error.timestamp = timestamp
        return error
    }

    static func mismatch(signatureCount: Int, keyCount: Int, timestamp: Int64) -> Self {
        let reason =
            switch (signatureCount, keyCount) {
            case (_, 0): "there is no active key to verify with"
            case (1, 1): "the v1 signature does not match the active key"
            case (1, _): "the v1 signature does not match any of the \(keyCount) active keys"
            case (_, 1): "none of the \(signatureCount) v1 signatures matches the active key"
            default: "none of the \(signatureCount) v1 signatures matches any of the \(keyCount) active keys"
            }
        var error = Self(code: .signatureMismatch, reason: reason)
        error.timestamp = timestamp
        return error
    }

    static func outsideTolerance(timestamp: Int64, skew: Int64, tolerance: TimestampTolerance) -> Self {
        let direction = skew < 0 ? "in the past" : "in the future"
        let limit = skew < 0 ? tolerance.past : tolerance.future
        var error = Self(
            code: .timestampOutsideTolerance,
            reason: "the signature matches, but its timestamp is \(abs(skew)) s \(direction) "
                + "(tolerance \(limit.map(String.init) ?? "unlimited") s)"
        )
        error.timestamp = timestamp
        error.skew = skew
        return error
    }

    static func expired(label: String, timestamp: Int64) -> Self {
        var error = Self(
            code: .secretExpired,
            reason: "the signature matches key \"\(label)\", which has expired"
        )
        error.timestamp = timestamp
        error.expiredKeyLabel = label
        return error
    }
}
