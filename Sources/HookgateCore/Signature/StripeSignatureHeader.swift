/// A parsed `Stripe-Signature` header value: `t=<unix>,v1=<hex>[,v1=<hex>...][,v0=<hex>]`.
///
/// Parsing follows the official Stripe SDKs: items are split on `,` and each at its `=`, nothing is trimmed,
/// unknown keys are ignored, every `v1` counts, `v0` is never used. A header is accepted only where every SDK
/// (Python, Node, Go, Ruby) would accept it reading the same timestamp and signatures; so these are malformed:
/// an item without exactly one `=` (Go refuses it), a `t` that is not plain digits without a leading zero
/// (Ruby reads `0123` as octal) or is above 2^53 - 1 (Node rounds it), two different `t` values (the SDKs
/// keep different ones), an empty or non-ASCII `v1` (Node and Python throw), white space before a `t` or `v1`
/// key (Ruby skips it). Fuzz/README.md has the table. The parse does not allocate: signatures are compared in
/// place by ``containsSignature(matching:)``.
struct StripeSignatureHeader: ~Copyable {
    /// The longest header value read; Stripe's own are under 300 bytes even during a rotation.
    static let maximumLength = 4096
    /// The most `v1` items read.
    static let maximumSignatures = 16
    /// The largest `t` read: 2^53 - 1, the largest integer a JavaScript number (stripe-node) holds exactly.
    static let maximumTimestamp: Int64 = 9_007_199_254_740_991

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
        var malformedItem: String?
        var malformedTimestamp = false
        var conflictingTimestamps = false
        Self.forEachItem(in: value) { key, itemValue in
            guard let itemValue, !itemValue.contains(UInt8(ascii: "=")) else {
                malformedItem = "has an item that is not one key=value pair"
                return
            }
            if Self.equals(key, "t") {
                guard let parsed = Self.timestamp(itemValue) else {
                    malformedTimestamp = true
                    return
                }
                if let earlier = timestamp, earlier != parsed { conflictingTimestamps = true }
                timestamp = parsed
            } else if Self.equals(key, "v1") {
                signatures += 1
                if itemValue.isEmpty { malformedItem = "has an empty v1 signature" }
                if itemValue.contains(where: { $0 >= 0x80 }) { malformedItem = "has a v1 signature that is not ASCII" }
            } else if Self.equals(key, "v0") {
                legacy += 1
            } else if Self.isPadded(key) {
                malformedItem = "has white space before a t or v1 key"
            }
        }
        if let malformedItem { throw .malformed("the Stripe-Signature header " + malformedItem) }
        if malformedTimestamp {
            throw .malformed(
                "the t= timestamp of the Stripe-Signature header is not a plain decimal number "
                    + "(digits without a leading zero, at most \(Self.maximumTimestamp))"
            )
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
            if Self.equals(key, "v1"), let itemValue, mac.matches(lowercaseHex: itemValue) { found = true }
        }
        return found
    }

    /// Calls `body` with each `,`-separated item's key and the value after its first `=` (nil without `=`).
    private static func forEachItem(
        in value: UnsafeBufferPointer<UInt8>,
        _ body: (_ key: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>?) -> Void
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
            } else {
                body(item, nil)
            }
            start = end + 1
        }
    }

    /// A `t` value: plain digits, no leading zero (unless it is `0`), at most ``maximumTimestamp``.
    private static func timestamp(_ digits: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard digits.first != UInt8(ascii: "0") || digits.count == 1, let parsed = DecimalDigits.parse(digits),
            parsed <= Self.maximumTimestamp
        else { return nil }
        return parsed
    }

    /// Whether `key` is ASCII white space followed by `t` or `v1`, which stripe-ruby reads as that key.
    private static func isPadded(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        // Ruby's `\s`: space, TAB, LF, VT, FF, CR.
        guard let start = key.firstIndex(where: { $0 != 0x20 && !(0x09...0x0D).contains($0) }), start > 0 else {
            return false
        }
        let rest = UnsafeBufferPointer(rebasing: key[start...])
        return Self.equals(rest, "t") || Self.equals(rest, "v1")
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
