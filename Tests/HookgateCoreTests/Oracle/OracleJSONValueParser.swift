import HookgateCore

/// The strict recursive-descent JSON parser as it was before ``JSONValueParser`` became the one-pass index's
/// tree (issue 14). Kept frozen in the tests, beside the old normalizer, as the independent oracle the
/// differential tests compare the index with; do not change its behaviour.
struct OracleJSONValueParser {
    private let bytes: [UInt8]
    private let limits: JSONValueParser.Limits
    private var index = 0
    private var depth = 0

    private init(bytes: [UInt8], limits: JSONValueParser.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses one JSON value that fills the whole input (surrounding whitespace aside).
    static func parse(
        _ bytes: [UInt8],
        limits: JSONValueParser.Limits = .init()
    ) throws(JSONValueParseError) -> JSONValue {
        var parser = OracleJSONValueParser(bytes: bytes, limits: limits)
        return try parser.parseDocument()
    }

    private mutating func parseDocument() throws(JSONValueParseError) -> JSONValue {
        guard self.bytes.count <= self.limits.maximumBytes else {
            throw self.error(.tooLarge, "the document is larger than \(self.limits.maximumBytes) bytes", at: 0)
        }
        if self.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.index = 3 }
        self.skipWhitespace()
        let value = try self.parseValue()
        self.skipWhitespace()
        guard self.index == self.bytes.count else {
            throw self.error(.trailingContent, "unexpected content after the JSON value")
        }
        return value
    }

    private mutating func parseValue() throws(JSONValueParseError) -> JSONValue {
        guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected a value") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.parseObject()
        case UInt8(ascii: "["): return try self.parseArray()
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): return try self.parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try self.parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try self.parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
        default: throw self.unexpectedCharacter(expecting: "a value")
        }
    }

    private mutating func parseObject() throws(JSONValueParseError) -> JSONValue {
        try self.enterContainer()
        self.skipWhitespace()
        var members: [JSONValue.Member] = []
        var keys: Set<String> = []
        if self.consume(UInt8(ascii: "}")) {
            self.depth -= 1
            return .object(members)
        }
        while true {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected a key") }
            guard self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw self.unexpectedCharacter(expecting: "a string key")
            }
            let keyOffset = self.index
            let key = try self.parseString()
            guard keys.insert(key).inserted else {
                throw self.error(.duplicateKey, "duplicate key \"\(key)\"", at: keyOffset)
            }
            self.skipWhitespace()
            try self.expect(UInt8(ascii: ":"), "':' after the key")
            self.skipWhitespace()
            members.append(JSONValue.Member(key: key, value: try self.parseValue()))
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "}")) { break }
            try self.expect(UInt8(ascii: ","), "',' or '}'")
            self.skipWhitespace()
        }
        self.depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(JSONValueParseError) -> JSONValue {
        try self.enterContainer()
        self.skipWhitespace()
        var elements: [JSONValue] = []
        if self.consume(UInt8(ascii: "]")) {
            self.depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try self.parseValue())
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "]")) { break }
            try self.expect(UInt8(ascii: ","), "',' or ']'")
            self.skipWhitespace()
        }
        self.depth -= 1
        return .array(elements)
    }

    private mutating func enterContainer() throws(JSONValueParseError) {
        self.depth += 1
        guard self.depth <= self.limits.maximumDepth else {
            throw self.error(.tooDeep, "arrays and objects are nested deeper than \(self.limits.maximumDepth) levels")
        }
        self.index += 1
    }

    private mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONValueParseError) -> JSONValue {
        for expected in word.utf8 {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected \(word)") }
            guard self.bytes[self.index] == expected else { throw self.unexpectedCharacter(expecting: word) }
            self.index += 1
        }
        return value
    }

    private mutating func parseNumber() throws(JSONValueParseError) -> JSONValue {
        let start = self.index
        var isInteger = true
        _ = self.consume(UInt8(ascii: "-"))
        if self.consume(UInt8(ascii: "0")) {
            if self.peekIsDigit() { throw self.error(.invalidNumber, "a number must not have leading zeros") }
        } else {
            try self.digits()
        }
        if self.consume(UInt8(ascii: ".")) {
            isInteger = false
            try self.digits()
        }
        if self.consume(UInt8(ascii: "e")) || self.consume(UInt8(ascii: "E")) {
            isInteger = false
            if !self.consume(UInt8(ascii: "+")) { _ = self.consume(UInt8(ascii: "-")) }
            try self.digits()
        }
        let text = String(decoding: self.bytes[start..<self.index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .integer(integer) }
        guard let number = Double(text), number.isFinite else {
            throw self.error(.invalidNumber, "the number is out of range", at: start)
        }
        return .number(number)
    }

    private mutating func digits() throws(JSONValueParseError) {
        guard self.peekIsDigit() else {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "expected a digit") }
            throw self.error(.invalidNumber, "expected a digit")
        }
        while self.peekIsDigit() { self.index += 1 }
    }

    private func peekIsDigit() -> Bool {
        self.index < self.bytes.count
            && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self.bytes[self.index])
    }

    private mutating func parseString() throws(JSONValueParseError) -> String {
        let start = self.index
        self.index += 1
        var unescaped: [UInt8] = []
        var hasEscapes = false
        var runStart = self.index
        while true {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "unterminated string") }
            let byte = self.bytes[self.index]
            switch byte {
            case UInt8(ascii: "\""):
                let run = self.bytes[runStart..<self.index]
                self.index += 1
                let validated: String?
                if hasEscapes {
                    unescaped.append(contentsOf: run)
                    validated = String(validating: unescaped, as: UTF8.self)
                } else {
                    validated = String(validating: run, as: UTF8.self)
                }
                guard let string = validated else {
                    throw self.error(.invalidString, "the string is not valid UTF-8", at: start)
                }
                return string
            case UInt8(ascii: "\\"):
                hasEscapes = true
                unescaped.append(contentsOf: self.bytes[runStart..<self.index])
                try self.parseEscape(into: &unescaped)
                runStart = self.index
            case 0..<0x20:
                throw self.error(.invalidString, "a control character in a string must be escaped")
            default:
                self.index += 1
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONValueParseError) {
        let escapeStart = self.index
        self.index += 1
        guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "unterminated escape") }
        let byte = self.bytes[self.index]
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var value = UInt32(try self.hexQuad())
            if (0xDC00...0xDFFF).contains(value) {
                throw self.error(.invalidString, "a lone low surrogate escape", at: escapeStart)
            }
            if (0xD800...0xDBFF).contains(value) {
                guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")) else {
                    throw self.error(
                        .invalidString,
                        "a high surrogate escape without its low surrogate",
                        at: escapeStart
                    )
                }
                let low = UInt32(try self.hexQuad())
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw self.error(
                        .invalidString,
                        "a high surrogate escape without its low surrogate",
                        at: escapeStart
                    )
                }
                value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            }
            // Surrogates are excluded above, so every remaining value is a scalar.
            Unicode.UTF8.encode(Unicode.Scalar(value)!) { out.append($0) }
        default:
            throw self.error(.invalidString, "an invalid escape sequence", at: escapeStart)
        }
    }

    private mutating func hexQuad() throws(JSONValueParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard self.index < self.bytes.count else { throw self.error(.unexpectedEnd, "unterminated \\u escape") }
            let byte = self.bytes[self.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.error(.invalidString, "a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | UInt16(digit)
            self.index += 1
        }
        return value
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): self.index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    private mutating func expect(_ byte: UInt8, _ expectation: String) throws(JSONValueParseError) {
        guard self.consume(byte) else { throw self.unexpectedCharacter(expecting: expectation) }
    }

    private func unexpectedCharacter(expecting expectation: String) -> JSONValueParseError {
        guard self.index < self.bytes.count else {
            return self.error(.unexpectedEnd, "the document ends where \(expectation) was expected")
        }
        let byte = self.bytes[self.index]
        let found = (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte \(byte)"
        return self.error(.unexpectedCharacter, "expected \(expectation), found \(found)")
    }

    private func error(_ code: JSONValueParseError.Code, _ reason: String, at offset: Int? = nil) -> JSONValueParseError
    {
        let offset = offset ?? self.index
        var line = 1
        var lineStart = 0
        for position in 0..<min(offset, self.bytes.count) where self.bytes[position] == UInt8(ascii: "\n") {
            line += 1
            lineStart = position + 1
        }
        return JSONValueParseError(
            code: code,
            reason: reason,
            offset: offset,
            line: line,
            column: offset - lineStart + 1
        )
    }
}
