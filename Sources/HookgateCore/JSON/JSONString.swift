/// Escaping text for JSON strings: `"`, `\` and control characters (U+0000–U+001F, U+007F) only.
public enum JSONString {
    /// `text` escaped for use between JSON quotes; returned as it is when nothing needs escaping.
    public static func escaped(_ text: String) -> String {
        var utf8 = text
        guard utf8.withUTF8({ $0.contains(where: Self.needsEscaping) }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        Self.appendEscaped(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` as a quoted JSON string.
    public static func quoted(_ text: String) -> String {
        "\"" + self.escaped(text) + "\""
    }

    /// Appends `text` as a quoted JSON string to `out`, as UTF-8.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        Self.appendEscaped(text, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends the UTF-8 of `text` escaped to `out`: `\"`, `\\`, `\n`, `\r`, `\t`, and `\u00xx` (lowercase
    /// hexadecimal) for the other control characters. Every escaped character is one ASCII byte, so escaping
    /// bytes is escaping scalars.
    private static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var utf8 = text
        utf8.withUTF8 { bytes in
            var runStart = 0
            for (position, byte) in bytes.enumerated() where Self.needsEscaping(byte) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                runStart = position + 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
                case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                default:
                    out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                    out += [Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0x0F)]
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The lowercase hexadecimal digit of `value` (0 to 15).
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
