/// Standard base64 (RFC 4648 section 4, with padding), without Foundation.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Number of characters needed to encode `byteCount` bytes.
    public static func encodedCount(_ byteCount: Int) -> Int {
        (byteCount + 2) / 3 * 4
    }

    /// Encodes `bytes` into `out`, which holds at least `encodedCount(bytes.count)` bytes; returns the count.
    @discardableResult
    public static func encode(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var written = 0
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = (b0 << 16) | (b1 << 8) | b2
            out[written] = alphabet[Int((group >> 18) & 63)]
            out[written + 1] = alphabet[Int((group >> 12) & 63)]
            out[written + 2] = remaining > 1 ? alphabet[Int((group >> 6) & 63)] : UInt8(ascii: "=")
            out[written + 3] = remaining > 2 ? alphabet[Int(group & 63)] : UInt8(ascii: "=")
            written += 4
            index += 3
        }
        return written
    }

    /// Encodes bytes as a base64 string.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        return input.withUnsafeBytes { raw in
            String(unsafeUninitializedCapacity: encodedCount(raw.count)) { encode(raw, into: $0) }
        }
    }

    /// Decodes padded or unpadded standard base64; `nil` for any other character or a bad length.
    public static func decode(_ text: Substring) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        var sawPadding = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") {
                sawPadding = true
                continue
            }
            guard !sawPadding, let value = sextet(byte) else { return nil }
            values.append(value)
        }
        if sawPadding, text.utf8.count % 4 != 0 { return nil }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(values.count * 3 / 4)
        var index = 0
        while index < values.count {
            let chunk = min(4, values.count - index)
            var group: UInt32 = 0
            for offset in 0..<4 {
                group = (group << 6) | UInt32(offset < chunk ? values[index + offset] : 0)
            }
            output.append(UInt8((group >> 16) & 0xFF))
            if chunk > 2 { output.append(UInt8((group >> 8) & 0xFF)) }
            if chunk > 3 { output.append(UInt8(group & 0xFF)) }
            index += 4
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
