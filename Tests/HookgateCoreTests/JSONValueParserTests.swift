import HookgateCore
import Testing

struct JSONValueParserTests {
    func parse(_ text: String, limits: JSONValueParser.Limits = JSONValueParser.Limits()) throws -> JSONValue {
        try JSONValueParser.parse(text, limits: limits)
    }

    func failure(_ text: String, limits: JSONValueParser.Limits = JSONValueParser.Limits()) -> JSONValueParseError? {
        do {
            _ = try JSONValueParser.parse(text, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func scalarsAndContainers() throws {
        #expect(try self.parse("null") == .null)
        #expect(try self.parse(" true ") == .bool(true))
        #expect(try self.parse("false") == .bool(false))
        #expect(try self.parse("[]") == .array([]))
        #expect(try self.parse("{}") == .object([]))
        #expect(
            try self.parse("{\"b\": [1, \"x\", null], \"a\": {\"c\": false}}")
                == .object([
                    .init(key: "b", value: .array([.integer(1), .string("x"), .null])),
                    .init(key: "a", value: .object([.init(key: "c", value: .bool(false))])),
                ])
        )
    }

    /// Members keep document order, and lookup by key works.
    @Test func objectsKeepOrder() throws {
        let value = try self.parse("{\"z\": 1, \"a\": 2, \"m\": 3}")
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
        #expect(value["a"] == .integer(2))
        #expect(value["missing"] == nil)
    }

    /// Integers without fraction or exponent stay exact over the whole Int64 range; others are doubles.
    @Test func numbers() throws {
        #expect(try self.parse("0") == .integer(0))
        #expect(try self.parse("-0") == .integer(0))
        #expect(try self.parse("9223372036854775807") == .integer(.max))
        #expect(try self.parse("-9223372036854775808") == .integer(.min))
        #expect(try self.parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try self.parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
        #expect(try self.parse("1.5") == .number(1.5))
        #expect(try self.parse("1.0") == .number(1))
        #expect(try self.parse("-2.5e-3") == .number(-0.0025))
        #expect(try self.parse("1E2") == .number(100))
        #expect(try self.parse("1e+2") == .number(100))
    }

    @Test(arguments: ["01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5e400", "-01", "Infinity", "NaN"])
    func rejectsBadNumbers(_ text: String) {
        #expect(self.failure(text) != nil, "\(text)")
    }

    @Test func stringEscapes() throws {
        #expect(try self.parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try self.parse(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try self.parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try self.parse("\"héllo 😀\"") == .string("héllo 😀"))
    }

    /// A surrogate pair escape becomes one scalar; a lone surrogate is an error.
    @Test func surrogates() throws {
        #expect(try self.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try self.parse(#""\uD834\uDD1E x""#) == .string("𝄞 x"))
        for lone in [#""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, #""\ud83dx""#, #""\ud83d\n""#] {
            #expect(self.failure(lone)?.code == .invalidString, "\(lone)")
        }
    }

    @Test(arguments: [#""\x""#, #""\u12""#, #""\u12G4""#, "\"tab\there\"", "\"line\nbreak\"", "\"open"])
    func rejectsBadStrings(_ text: String) {
        #expect(self.failure(text) != nil, "\(text)")
    }

    @Test func rejectsInvalidUTF8() throws {
        #expect(throws: JSONValueParseError.self) { try JSONValueParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONValueParseError.self) { try JSONValueParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
        #expect(throws: JSONValueParseError.self) { try JSONValueParser.parse([0xFF]) }
        // Also after an escape, when the string is rebuilt.
        #expect(throws: JSONValueParseError.self) { try JSONValueParser.parse([0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22]) }
        #expect(try JSONValueParser.parse([0x22, 0x5C, 0x6E, 0xC3, 0xA9, 0x22]) == .string("\né"))
    }

    /// Keys are compared after unescaping.
    @Test func rejectsDuplicateKeys() {
        let error = self.failure("{\"a\": 1,\n \"b\": {\"a\": 2}, \"\\u0061\": 3}")
        #expect(error?.code == .duplicateKey)
        #expect(error?.reason == "duplicate key \"a\"")
        #expect(error?.line == 2)
        #expect(error?.column == 17)
    }

    @Test(arguments: [
        "", " ", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a: 1}", "{'a': 1}", "[1] x", "// c\n{}", "tru",
        "nul", "[", "{", "{\"a\":", "[1,", "{} {}", "True",
    ])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(self.failure(text) != nil, "\(text)")
    }

    @Test func depthLimit() throws {
        let limits = JSONValueParser.Limits(maximumDepth: 3, maximumBytes: 1_000)
        #expect(try self.parse("[[[1]]]", limits: limits) == .array([.array([.array([.integer(1)])])]))
        #expect(self.failure("[[[[1]]]]", limits: limits)?.code == .tooDeep)
        #expect(self.failure("[{\"a\":[{}]}]", limits: limits)?.code == .tooDeep)
        // The default limit stops deeply nested hostile input before the stack does.
        #expect(self.failure(String(repeating: "[", count: 100_000))?.code == .tooDeep)
    }

    @Test func sizeLimit() throws {
        let limits = JSONValueParser.Limits(maximumDepth: 8, maximumBytes: 10)
        #expect(try self.parse("\"12345678\"", limits: limits) == .string("12345678"))
        #expect(self.failure("\"123456789\"", limits: limits)?.code == .tooLarge)
    }

    @Test func errorPositions() {
        let error = self.failure("{\n  \"a\": tru\n}")
        #expect(error?.line == 2)
        #expect(error?.column == 11)
        #expect(error?.description.hasPrefix("line 2, column 11: ") == true)
        #expect(self.failure("[1] x")?.code == .trailingContent)
        #expect(self.failure("[1")?.code == .unexpectedEnd)
    }

    /// Error messages name positions and expectations, never string contents.
    @Test func errorsDoNotQuoteStrings() {
        for text in ["{\"k\": \"whsec_SECRET\\q\"}", "{\"k\": \"whsec_SECRET\u{1}\"}", "{\"k\": \"whsec_SECRET"] {
            #expect(self.failure(text)?.description.contains("SECRET") == false, "\(text)")
        }
    }

    @Test func skipsByteOrderMark() throws {
        #expect(try JSONValueParser.parse([0xEF, 0xBB, 0xBF] + Array("[true]".utf8)) == .array([.bool(true)]))
    }
}
