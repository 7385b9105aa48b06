import HookgateCore

/// A JSON value kept in a record that is written to the state file: encoded as its serialized text.
struct StoredJSON: Sendable, Codable {
    let value: JSONValue

    init(_ value: JSONValue) {
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self.value = try JSONValueParser.parse(text)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.value.serialized())
    }
}
