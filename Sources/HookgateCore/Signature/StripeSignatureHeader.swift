/// A parsed `Stripe-Signature` header value: `t=<unix>,v1=<hex>[,v1=<hex>...][,v0=<hex>]`.
///
/// Parsing follows the official Stripe SDKs: items are split on `,` and each at its first `=`, nothing is
/// trimmed, unknown keys and items without `=` are ignored, every `v1` counts, `v0` is never used.
/// Where the SDKs disagree, Hookgate takes the stricter reading: `t` must be plain digits (Go's SDK), and
/// two different `t` values are malformed (the SDKs keep different ones). The parse does not allocate:
/// signatures are compared in place by ``containsSignature(matching:)``.
struct StripeSignatureHeader: ~Copyable {
    /// The longest header value read; Stripe's own are under 300 bytes even during a rotation.
    static let maximumLength = 4096
    /// The most `v1` items read.
    static let maximumSignatures = 16

    let timestamp: Int64
    let signatureCount: Int
    let legacySignatureCount: Int
    private let value: UnsafeBufferPointer<UInt8>

    /// Parses `value`, which must stay valid while the header is used.
    init(parsing value: UnsafeBufferPointer<UInt8>) throws(VerificationError) {
        guard value.count <= Self.maximumLength else {
            throw .malformed("the Stripe-Signature header is longer than \(Self.maximumLength) bytes")
        }
        var timestamp: Int64?
        var signatures = 0
        var legacy = 0
        var malformedTimestamp = false
        var conflictingTimestamps = false
        Self.forEachItem(in: value) { key, itemValue in
            if Self.equals(key, "t") {
                guard let parsed = DecimalDigits.parse(itemValue) else {
                    malformedTimestamp = true
                    return
                }
                if let earlier = timestamp, earlier != parsed { conflictingTimestamps = true }
                timestamp = parsed
            } else if Self.equals(key, "v1") {
                signatures += 1
            } else if Self.equals(key, "v0") {
                legacy += 1
            }
        }
        if malformedTimestamp {
            throw .malformed("the t= timestamp of the Stripe-Signature header is not a plain decimal number")
        }
        if conflictingTimestamps {
            throw .malformed("the Stripe-Signature header has two different t= timestamps")
        }
        guard let timestamp else {
            if Self.startsWithOwnName(value) {
                throw .malformed(
                    "the Stripe-Signature header value includes its own name (\"Stripe-Signature: t=...\"); "
                        + "send only the value after the colon"
                )
            }
            throw .malformed("the Stripe-Signature header has no t= timestamp")
        }
        guard signatures > 0 else {
            var error = VerificationError.malformed(
                legacy > 0
                    ? "the Stripe-Signature header has only v0 signatures; only v1 (HMAC-SHA256) is accepted"
                    : "the Stripe-Signature header has no v1 signature",
                timestamp: timestamp
            )
            error.onlyLegacySignatures = legacy > 0
            throw error
        }
        guard signatures <= Self.maximumSignatures else {
            throw .malformed(
                "the Stripe-Signature header has more than \(Self.maximumSignatures) v1 signatures",
                timestamp: timestamp
            )
        }
        self.timestamp = timestamp
        self.signatureCount = signatures
        self.legacySignatureCount = legacy
        self.value = value
    }

    /// Whether any `v1` item is `mac` in lowercase hex. Every `v1` item is compared in constant time.
    func containsSignature(matching mac: SHA256MAC) -> Bool {
        var found = false
        Self.forEachItem(in: self.value) { key, itemValue in
            if Self.equals(key, "v1"), mac.matches(lowercaseHex: itemValue) { found = true }
        }
        return found
    }

    private static func forEachItem(
        in value: UnsafeBufferPointer<UInt8>,
        _ body: (_ key: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Void
    ) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
            let item = UnsafeBufferPointer(rebasing: value[start..<end])
            if let equals = item.firstIndex(of: UInt8(ascii: "=")) {
                body(
                    UnsafeBufferPointer(rebasing: item[..<equals]),
                    UnsafeBufferPointer(rebasing: item[(equals + 1)...])
                )
            }
            start = end + 1
        }
    }

    /// Whether `value` begins with `Stripe-Signature:` (in any case), as when a whole header line is pasted.
    private static func startsWithOwnName(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = "stripe-signature:".utf8
        guard value.count >= name.count else { return false }
        return zip(value, name).allSatisfy { byte, expected in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == expected : byte == expected
        }
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        return bytes.elementsEqual(expected)
    }
}
