extension JSONIndexBuilder {
    /// Indexes the string at the next byte (its opening quote): checks its escapes, that it holds no raw
    /// control character and that it is valid UTF-8, without decoding it.
    mutating func indexString() throws(JSONValueParseError) {
        let start = self.index
        self.index += 1
        var flags: UInt8 = 0
        var highBits: UInt8 = 0
        while true {
            let run = Self.plainRun(in: self.bytes, from: self.index)
            self.index = run.end
            highBits |= run.highBits
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "unterminated string") }
            switch self.bytes[self.index] {
            case UInt8(ascii: "\""):
                // Escapes are ASCII and decode to whole scalars, so the decoded string is valid UTF-8 exactly
                // when the raw text between the quotes is.
                let text = self.bytes[(start + 1)..<self.index]
                if highBits != 0 {
                    guard UTF8Validation.isValid(text) else {
                        throw self.error(.invalidString, "the string is not valid UTF-8", at: start)
                    }
                    flags |= JSONIndex.Entry.hasNonASCII
                }
                self.append(.string, flags: flags, from: start + 1, to: self.index)
                self.index += 1
                return
            case UInt8(ascii: "\\"):
                flags |= JSONIndex.Entry.hasEscapes
                try self.checkEscape()
            default:
                throw self.error(.invalidString, "a control character in a string must be escaped")
            }
        }
    }

    /// Where the run of string bytes from `start` that are neither a quote, a backslash nor a control character
    /// ends, and the bits above 0x7F its bytes set.
    private static func plainRun(in bytes: [UInt8], from start: Int) -> (end: Int, highBits: UInt8) {
        bytes.withUnsafeBufferPointer { buffer in
            var index = start
            var bits: UInt8 = 0
            while index < buffer.count {
                let byte = buffer[index]
                guard byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else { break }
                bits |= byte
                index += 1
            }
            return (index, bits & 0x80)
        }
    }

    /// Steps over the escape at the next byte (its backslash), checking it strictly (see ``JSONValueParser``).
    private mutating func checkEscape() throws(JSONValueParseError) {
        let escapeStart = self.index
        self.index += 1
        guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "unterminated escape") }
        let byte = self.bytes[self.index]
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let value = try self.hexQuad()
            if (0xDC00...0xDFFF).contains(value) {
                throw self.error(.invalidString, "a lone low surrogate escape", at: escapeStart)
            }
            guard (0xD800...0xDBFF).contains(value) else { return }
            guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")) else {
                throw self.error(.invalidString, "a high surrogate escape without its low surrogate", at: escapeStart)
            }
            guard (0xDC00...0xDFFF).contains(try self.hexQuad()) else {
                throw self.error(.invalidString, "a high surrogate escape without its low surrogate", at: escapeStart)
            }
        default:
            throw self.error(.invalidString, "an invalid escape sequence", at: escapeStart)
        }
    }

    private mutating func hexQuad() throws(JSONValueParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "unterminated \\u escape") }
            guard let digit = JSONIndex.hexDigit(self.bytes[self.index]) else {
                throw self.error(.invalidString, "a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | UInt16(digit)
            self.index += 1
        }
        return value
    }
}
