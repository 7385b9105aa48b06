import HookgateCore
import Testing

/// The one-pass index validates, reads and re-serializes JSON as ``JSONValueParser`` does: each text is
/// normalized as a whole body (errors compared, line and column included) and as the value of a forwarded
/// unmapped event's `data.object.v` (the serialized output compared byte for byte), new against the oracle.
@Suite("JSON index: one pass against JSONValueParser")
struct JSONIndexDifferentialTests {
    private static let forwardUnmapped = NormalizationOptions(forwardUnmapped: true)

    /// Compares `text` as a whole body and as a value inside an event.
    private func expectSame(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        self.expectSame(Array(text.utf8), sourceLocation: sourceLocation)
    }

    private func expectSame(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let options = Self.forwardUnmapped
        NormalizationDifferential.expectSame(bytes, options: options, "body", sourceLocation: sourceLocation)
        let event =
            Array(#"{"id": "evt_1", "type": "x.y", "created": 1, "livemode": true, "data": {"object": {"v": "#.utf8)
            + bytes + Array("}}}".utf8)
        NormalizationDifferential.expectSame(event, options: options, "value", sourceLocation: sourceLocation)
    }

    @Test func literalsAndStructure() {
        for text in [
            "", " ", "null", "true", "false", "nul", "tru", "fals", "nulll", "[]", "{}", "[1,]", "{,}", "[,1]",
            "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{1:2}", "[1 2]", "[[[]]]", "{\"a\":{\"b\":[{}]}}",
            " \n\t\r[ 1 , 2 ] \n", "[1]x", "[1] ]", "\u{FEFF}[1]", "\u{FEFF}", "\u{FEFF}\u{FEFF}[]", "[1]\u{0}",
            "/* c */ []", "[\"a\" /* c */]", "'a'", "[TRUE]", "[Infinity]", "[NaN]", "{\"a\":1}\n{}",
        ] {
            self.expectSame(text)
        }
    }

    @Test func numbers() {
        for text in [
            "0", "-0", "-", "--1", "01", "-01", "1.", ".5", "1.5", "-1.5e3", "1e", "1e+", "1E-2", "1e400", "-1e400",
            "1e-400", "19.0", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "123456789012345678", "1234567890123456789", "12345678901234567890",
            "0.1e1", "1.7976931348623157e308", "1.7976931348623159e308", String(repeating: "9", count: 400),
            "[-]", "[1.e2]", "[0x10]", "[+1]", "[1_000]", "4.5e15", "9e15", "-9.0e15", "8999999999999999.0",
        ] {
            self.expectSame(text)
            self.expectSame("{\"amount\": \(text), \"n\": [\(text)]}")
        }
    }

    @Test func strings() {
        for text in [
            #""""#, #""a""#, #""\"""#, #""\\""#, #""\/""#, #""\b\f\n\r\t""#, #""\u0041""#, #""\u00e9""#,
            #""\u00E9\u20AC""#, #""\ud83d\ude00""#, #""\uD83D""#, #""\uDE00""#, #""\ud83d\u0041""#,
            #""\ud83d\""#, #""\ud83dx""#, #""\ud83d\x""#, #""\u12""#, #""\u12G4""#, #""\x""#, #""\"#, #""abc"#,
            #""\u0000\u001f\u007f""#, "\"\u{7F}\"", "\"é€😀\"", "\"e\u{301}\"", #""\u0065\u0301""#, "\"a\tb\"",
            "\"a\nb\"", #""a\u0009b""#, #""\uDBFF\uDFFF""#, #""\uD800\uDC00""#,
        ] {
            self.expectSame(text)
            self.expectSame("{\(text): \(text)}")
        }
    }

    @Test func invalidUTF8() {
        let sequences: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0x80, 0x80],
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xFE], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ]
        for sequence in sequences {
            for (prefix, suffix) in [("", ""), ("a", "b"), (#"\n"#, #"\u00e9"#), ("é", "")] {
                self.expectSame(Array("\"\(prefix)".utf8) + sequence + Array("\(suffix)\"".utf8))
                self.expectSame(Array("{\"\(prefix)".utf8) + sequence + Array("\(suffix)\": 1}".utf8))
            }
        }
    }

    /// Keys compare as Swift strings do: an escape or a canonically equivalent spelling is a duplicate.
    @Test func duplicateKeys() {
        let small: [String] = [
            #"{"a": 1, "a": 2}"#, #"{"a": 1, "b": {"a": 2}}"#, #"{"a": 1, "\u0061": 2}"#, #"{"K": 1, "\u212A": 2}"#,
            "{\"K\": 1, \"\u{212A}\": 2}", "{\"é\": 1, \"e\u{301}\": 2}", #"{"\u00e9": 1, "e\u0301": 2}"#,
            #"{"a": 1, "a": }"#, #"{"a": [1, {"b": 1, "b": 2}], "c": 3}"#, #"{"ab": 1, "ba": 2, "b": 3, "a": 4}"#,
        ]
        let many: [String] = (0..<100).map { "\"key\($0)\": \($0)" }
        let large: [[String]] = [
            many, many + ["\"key7\": 0"], many + [#""key\u0037": 0"#],
            Array(many[..<40]) + [#""\u006bey3": 0"#] + Array(many[40...]),
            Array(many[..<64]) + ["\"key63\": 0"], Array(many[..<65]) + ["\"key0\": 0"],
        ]
        for text in small + large.map({ "{" + $0.joined(separator: ", ") + "}" }) {
            self.expectSame(text)
        }
    }

    /// The order key and every member looked up match keys as Swift strings compare.
    @Test func lookupsCompareKeysAsStrings() {
        let metadata = [
            #"{"K": "ord_1"}"#, #"{"\u212A": "ord_1"}"#, "{\"\u{212A}\": \"ord_1\"}", #"{"order_id": "o"}"#,
        ]
        let payment = #"{"id": "pi_1", "object": "payment_intent", "amount": 5, "currency": "usd", "metadata": "#
        for value in metadata {
            let body = NormalizationDifferential.event(object: payment + value + "}", type: "payment_intent.succeeded")
            for options in NormalizationDifferential.options {
                NormalizationDifferential.expectSame(body, options: options, value)
            }
        }
        let escapedKeys = #"{"\u0069d": "pi_1", "obj\u0065ct": "payment_intent", "amount": 5, "currency": "usd"}"#
        let body = NormalizationDifferential.event(object: escapedKeys, type: "payment_intent.succeeded")
        NormalizationDifferential.expectSame(body, options: NormalizationOptions(), "escaped keys")
    }

    @Test func nesting() {
        for depth in [1, 59, 60, 61, 62, 63, 64, 65, 100_000] {
            self.expectSame(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
            self.expectSame(String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth))
            self.expectSame(String(repeating: "[", count: depth))
        }
    }

    @Test func sizeLimit() {
        let limit = StripeEventNormalizer.documentLimits.maximumBytes
        var body = NormalizationDifferential.event(object: "{}")
        body += [UInt8](repeating: UInt8(ascii: " "), count: limit - body.count)
        NormalizationDifferential.expectSame(body, options: Self.forwardUnmapped, "at the limit")
        body.append(UInt8(ascii: " "))
        NormalizationDifferential.expectSame(body, options: Self.forwardUnmapped, "over the limit")
    }

    /// Random texts made of JSON's pieces and stray bytes.
    @Test func randomTexts() {
        let pieces: [[UInt8]] =
            [
                "{", "}", "[", "]", ",", ":", "\"", "\"a\"", "\"id\"", "\\", "\\u", "d83d", "\\ude00", "0", "-", "1",
                "1.5", "e5", "true", "false", "null", "nul", " ", "\n", "é", "\"K\"", "\"\u{212A}\"", "\"a\\u0061\"",
            ].map { Array($0.utf8) } + [[0x00], [0x1F], [0x80], [0xC3], [0xED, 0xA0, 0x80], [0xFF]]
        var generator = SplitMix64(seed: 3)
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(generator.next() % 24) {
                bytes += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            self.expectSame(bytes)
        }
    }
}
