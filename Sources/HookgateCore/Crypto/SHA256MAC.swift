/// A 32-byte HMAC-SHA256 authentication code, stored inline (no heap allocation).
public struct SHA256MAC: Sendable, Hashable {
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// Length of the code in bytes.
    public static let byteCount = 32

    init() {}

    /// Creates a MAC from exactly 32 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.withUnsafeMutableBytes { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in ConstantTime.equal(left, right) } }
    }

    public func hash(into hasher: inout Hasher) {
        self.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// Calls `body` with the 32 bytes of the code.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: self.storage, body)
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &self.storage, body)
    }

    /// The code as 64 lowercase hexadecimal characters.
    public var hexString: String {
        self.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 64) { out in
                for (index, byte) in bytes.enumerated() {
                    out[2 * index] = Hex.digit(byte >> 4)
                    out[2 * index + 1] = Hex.digit(byte & 0x0F)
                }
                return 64
            }
        }
    }

    /// The code in standard base64 (44 characters, padded).
    public var base64String: String {
        self.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: Base64.encodedCount(Self.byteCount)) { out in
                Base64.encode(bytes, into: out)
            }
        }
    }

    /// Whether `hex` is this code written in lowercase hex, compared in constant time.
    ///
    /// Only lowercase is accepted, as the Stripe SDKs compare the hex strings as written. The time taken
    /// depends on the candidate's length, never on how many of its bytes match.
    public func matches(lowercaseHex hex: UnsafeBufferPointer<UInt8>) -> Bool {
        guard hex.count == 2 * Self.byteCount else { return false }
        return self.withUnsafeBytes { expected in
            var difference: UInt8 = 0
            for index in 0..<Self.byteCount {
                let high = Hex.lowercaseNibble(hex[2 * index])
                let low = Hex.lowercaseNibble(hex[2 * index + 1])
                // An invalid digit yields 0xFF, which sets bits above the nibble and so never compares equal.
                difference |= (high & 0xF0) | (low & 0xF0)
                difference |= ((high << 4) | (low & 0x0F)) ^ expected[index]
            }
            return difference == 0
        }
    }

    /// Whether `text` is this code in standard base64, compared in constant time.
    public func matches(base64 text: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = Base64.encodedCount(Self.byteCount)
        guard text.count == length else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { encoded in
            _ = self.withUnsafeBytes { Base64.encode($0, into: encoded) }
            return ConstantTime.equal(UnsafeRawBufferPointer(encoded), UnsafeRawBufferPointer(text))
        }
    }
}

/// Comparison whose duration does not depend on where two buffers differ.
public enum ConstantTime {
    /// Whether two buffers hold the same bytes. Unequal lengths return `false` at once (lengths are not secret).
    public static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}

/// Lowercase hexadecimal digits.
enum Hex {
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// The value of a lowercase hex digit, or 0xFF. Branches only on the candidate byte, never on the secret.
    static func lowercaseNibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: 0xFF
        }
    }
}
