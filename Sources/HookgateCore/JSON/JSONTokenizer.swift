/// Splits JSON text into tokens without interpreting them, so they can be laid out again byte-exact.
///
/// It only knows what it needs for re-layout: structural characters, strings (with escapes) and the
/// runs of other characters (numbers, `true`, `false`, `null`). Whitespace between tokens is dropped.
struct JSONTokenizer {
    enum Token: Equatable {
        case beginObject, endObject, beginArray, endArray, colon, comma
        /// A string token, quotes included, as a range of the input.
        case string(Range<Int>)
        /// A number or literal, as a range of the input.
        case scalar(Range<Int>)
    }

    /// The tokens of `bytes`, or `nil` when they are not plausible JSON (an unterminated string, a stray byte,
    /// unbalanced brackets).
    static func tokens(of bytes: [UInt8]) -> [Token]? {
        var tokens: [Token] = []
        var depth = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                tokens.append(byte == UInt8(ascii: "{") ? .beginObject : .beginArray)
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                tokens.append(byte == UInt8(ascii: "}") ? .endObject : .endArray)
                depth -= 1
                guard depth >= 0 else { return nil }
                index += 1
            case UInt8(ascii: ":"):
                tokens.append(.colon)
                index += 1
            case UInt8(ascii: ","):
                tokens.append(.comma)
                index += 1
            case UInt8(ascii: "\""):
                guard let end = endOfString(bytes, from: index) else { return nil }
                tokens.append(.string(index..<end))
                index = end
            default:
                let start = index
                while index < bytes.count, isScalarByte(bytes[index]) { index += 1 }
                guard index > start else { return nil }
                tokens.append(.scalar(start..<index))
            }
        }
        return depth == 0 && !tokens.isEmpty ? tokens : nil
    }

    /// The index after the closing quote of the string starting at `start`.
    static func endOfString(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    private static func isScalarByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "E"):
            true
        default: false
        }
    }
}
