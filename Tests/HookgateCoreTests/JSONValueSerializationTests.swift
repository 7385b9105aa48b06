import HookgateCore
import Testing

struct JSONValueSerializationTests {
    @Test func compact() {
        let value = JSONValue.object([
            .init(key: "b", value: .array([.integer(-1), .number(1.5), .null, .bool(true)])),
            .init(key: "a", value: .string("q\"\\\n\u{1}é")),
            .init(key: "e", value: .object([])),
        ])
        #expect(value.serialized() == #"{"b":[-1,1.5,null,true],"a":"q\"\\\n\u0001é","e":{}}"#)
    }

    @Test func pretty() {
        let value = JSONValue.object([
            .init(key: "a", value: .array([.integer(1), .array([])])),
            .init(key: "b", value: .object([.init(key: "c", value: .null)])),
        ])
        #expect(
            value.serialized(indent: 2) == """
                {
                  "a": [
                    1,
                    []
                  ],
                  "b": {
                    "c": null
                  }
                }
                """
        )
    }

    /// Serializing and parsing again gives the same value, for awkward strings too.
    @Test func roundTrip() throws {
        let value = JSONValue.object([
            .init(key: "k\u{0}\u{7F}", value: .string("😀\u{2028}\t/")),
            .init(key: "n", value: .array([.integer(.min), .integer(.max), .number(0.1), .number(-2.5e-300)])),
        ])
        #expect(try JSONValueParser.parse(value.serialized()) == value)
        #expect(try JSONValueParser.parse(value.serialized(indent: 4)) == value)
    }
}
