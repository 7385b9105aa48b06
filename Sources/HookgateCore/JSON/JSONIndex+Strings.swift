extension JSONIndex {
    /// The string at `node`, unescaped.
    func string(_ node: Int) -> String {
        Self.decodedString(self.entries[node], in: self.bytes)
    }

    /// Whether the strings of `first` and `second` (entries of a document of `bytes`) are equal as Swift
    /// strings compare; bytes are compared when both are plain ASCII without escapes.
    static func strings(_ first: Entry, _ second: Entry, areEqualIn bytes: [UInt8]) -> Bool {
        guard first.flags == 0, second.flags == 0 else {
            return Self.decodedString(first, in: bytes) == Self.decodedString(second, in: bytes)
        }
        let (start, otherStart) = (Int(first.start), Int(second.start))
        let count = Int(first.end) - start
        guard Int(second.end) - otherStart == count else { return false }
        for offset in 0..<count where bytes[start + offset] != bytes[otherStart + offset] { return false }
        return true
    }

    /// The string of `entry`, a validated string of a document of `bytes`, unescaped.
    static func decodedString(_ entry: Entry, in bytes: [UInt8]) -> String {
        let text = bytes[Int(entry.start)..<Int(entry.end)]
        guard entry.flags & Entry.hasEscapes != 0 else { return String(decoding: text, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                unescaped.append(byte)
                continue
            }
            let escaped = text[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "b"): unescaped.append(0x08)
            case UInt8(ascii: "f"): unescaped.append(0x0C)
            case UInt8(ascii: "n"): unescaped.append(0x0A)
            case UInt8(ascii: "r"): unescaped.append(0x0D)
            case UInt8(ascii: "t"): unescaped.append(0x09)
            case UInt8(ascii: "u"):
                var value = Self.hexQuad(text, at: index)
                index += 4
                if (0xD800...0xDBFF).contains(value) {
                    // Validation made sure a low surrogate escape follows.
                    value = 0x10000 + ((value - 0xD800) << 10) + (Self.hexQuad(text, at: index + 2) &- 0xDC00)
                    index += 6
                }
                Unicode.UTF8.encode(Unicode.Scalar(value) ?? "\u{FFFD}") { unescaped.append($0) }
            default: unescaped.append(escaped)  // `"`, `\` and `/` stand for themselves.
            }
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// The value of the four hexadecimal digits at `index` of validated string text.
    private static func hexQuad(_ text: ArraySlice<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for position in index..<(index + 4) {
            value = value << 4 | UInt32(Self.hexDigit(text[position]) ?? 0)
        }
        return value
    }

    /// The value of a hexadecimal digit, `nil` for any other byte.
    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
