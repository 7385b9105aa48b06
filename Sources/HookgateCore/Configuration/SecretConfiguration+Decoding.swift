extension SecretConfiguration {
    /// The keys naming a secret's source; exactly one must be present.
    static let sourceKeys = ["env", "file", "value"]

    /// Decodes one element of an endpoint's `secrets`. Problems with a literal `value` never quote it.
    static func decode(_ value: JSONValue, at path: JSONPath, reader: inout ConfigurationReader) -> Self? {
        guard let fields = reader.fields(of: value, at: path, keys: ["label", "expires_at"] + Self.sourceKeys) else {
            return nil
        }
        let hasLabel = reader.require("label", in: fields)
        let label = reader.parsed(
            "label",
            in: fields,
            problem: "expected 1 to 64 characters without control characters"
        ) { text in
            (1...64).contains(text.count) && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
                ? text : nil
        }
        let expiresAt = reader.parsed(
            "expires_at",
            in: fields,
            problem: "not an RFC 3339 time, e.g. 2026-12-01T00:00:00Z"
        ) { UnixTime.parseRFC3339($0) }
        let present = Self.sourceKeys.filter(fields.has)
        guard present.count == 1 else {
            let keys = present.isEmpty ? Self.sourceKeys : present
            reader.report(
                present.isEmpty ? .missingKey : .invalidValue,
                at: fields.path,
                "needs exactly one source of \(keys.map { "\"\($0)\"" }.joined(separator: ", ")), found \(present.count)"
            )
            return nil
        }
        let source: SecretSource?
        switch present[0] {
        case "env":
            source = reader.parsed(
                "env",
                in: fields,
                problem: "expected an environment variable name (letters, digits, '_', not starting with a digit)"
            ) { Self.isVariableName($0) ? .environment($0) : nil }
        case "file":
            source = reader.parsed("file", in: fields, problem: "expected a file path without NUL characters") {
                $0.isEmpty || $0.utf8.contains(0) ? nil : .file($0)
            }
        default:
            source = Self.decodeLiteral(fields, reader: &reader)
        }
        guard hasLabel, let label, let source else { return nil }
        return SecretConfiguration(label: label, source: source, expiresAt: expiresAt)
    }

    private static func decodeLiteral(
        _ fields: ConfigurationReader.Fields,
        reader: inout ConfigurationReader
    )
        -> SecretSource?
    {
        guard let value = fields.values["value"], let text = reader.string(value, at: fields.path("value")) else {
            return nil
        }
        guard !text.isEmpty else {
            reader.report(.invalidValue, at: fields.path("value"), "must not be empty")
            return nil
        }
        return .literal(Secret(text))
    }

    static func isVariableName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_": true
            default: false
            }
        }
    }
}
