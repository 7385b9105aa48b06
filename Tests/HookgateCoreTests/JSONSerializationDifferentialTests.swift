import HookgateCore
import Testing

/// ``JSONValue/serialized(indent:)``, now writing bytes, gives exactly the text the string-appending
/// serializer it replaced gave (``JSONValue/oracleSerialized(indent:)``).
@Suite("JSON serialization: bytes against the string-appending oracle")
struct JSONSerializationDifferentialTests {
    private static let indents: [Int?] = [nil, 0, 2, 4]

    @Test(arguments: Fixtures.jsonFiles)
    func fixtures(file: String) throws {
        let document = try JSONValueParser.parse(Fixtures.bytes(file))
        for indent in Self.indents {
            #expect(document.serialized(indent: indent) == document.oracleSerialized(indent: indent))
        }
    }

    @Test func everyControlCharacterAndEscapeInKeysAndValues() {
        let characters = (0..<0x80).map { String(Unicode.Scalar(UInt8($0))) } + ["é", "€", "😀", "e\u{301}", "\u{2028}"]
        let text = characters.joined()
        for sample in characters + [text, ""] {
            #expect(JSONString.escaped(sample) == OracleJSONString.escaped(sample))
            #expect(JSONString.quoted(sample) == OracleJSONString.quoted(sample))
        }
        let values: [JSONValue] = [
            .string(text), .string(""), .object([JSONValue.Member(key: text, value: .string(text))]),
            .array(characters.map(JSONValue.string)),
            .object(characters.map { JSONValue.Member(key: $0, value: .array([.string($0), .null])) }),
        ]
        for value in values {
            for indent in Self.indents {
                #expect(value.serialized(indent: indent) == value.oracleSerialized(indent: indent))
            }
        }
    }

    @Test func scalarsAndNesting() {
        let scalars: [JSONValue] = [
            .null, .bool(true), .bool(false), .integer(0), .integer(-1), .integer(.max), .integer(.min),
            .number(1.5), .number(-0.0), .number(19.0), .number(1e300), .number(.leastNonzeroMagnitude), .number(0.1),
        ]
        let nested: JSONValue = .object([
            JSONValue.Member(key: "a", value: .array(scalars)),
            JSONValue.Member(key: "b", value: .object([])),
            JSONValue.Member(
                key: "c",
                value: .array([.array([]), .object([JSONValue.Member(key: "", value: .null)])])
            ),
        ])
        for value in scalars + [nested, .array([]), .object([])] {
            for indent in Self.indents {
                #expect(value.serialized(indent: indent) == value.oracleSerialized(indent: indent))
            }
        }
    }
}
