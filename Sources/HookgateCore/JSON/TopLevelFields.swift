/// Reads scalar members of a JSON document's top-level object without decoding the rest.
public enum TopLevelFields {
    /// The raw token (string with its quotes, or number / literal) of the top-level member `name`, if any.
    ///
    /// Member names are compared as written, so a name spelled with escapes is not found.
    public static func rawValue(of name: String, in json: [UInt8]) -> ArraySlice<UInt8>? {
        guard let tokens = JSONTokenizer.tokens(of: json), tokens.first == .beginObject else { return nil }
        let wanted = Array(("\"" + name + "\"").utf8)
        var depth = 0
        for (index, token) in tokens.enumerated() {
            switch token {
            case .beginObject, .beginArray: depth += 1
            case .endObject, .endArray: depth -= 1
            case .string(let range) where depth == 1 && json[range].elementsEqual(wanted):
                guard index + 2 < tokens.count, tokens[index + 1] == .colon else { continue }
                switch tokens[index + 2] {
                case .string(let value), .scalar(let value): return json[value]
                default: return nil
                }
            default: continue
            }
        }
        return nil
    }

    /// The top-level `livemode` of a Stripe event, if it is `true` or `false`.
    public static func livemode(in json: [UInt8]) -> Bool? {
        switch rawValue(of: "livemode", in: json).map(Array.init) {
        case Array("true".utf8)?: true
        case Array("false".utf8)?: false
        default: nil
        }
    }
}
