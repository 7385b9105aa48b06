extension JSONValue {
    /// The value as JSON text: compact when `indent` is `nil`, else pretty-printed with `indent` spaces per
    /// level and `"key": value`. Strings escape `"`, `\` and control characters only; object members keep
    /// their order.
    public func serialized(indent: Int? = nil) -> String {
        var out = ""
        self.write(into: &out, indent: indent, depth: 0)
        return out
    }

    private func write(into out: inout String, indent: Int?, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value): out += value.description
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let elements):
            Self.writeContainer(elements, open: "[", close: "]", into: &out, indent: indent, depth: depth) {
                element,
                out in element.write(into: &out, indent: indent, depth: depth + 1)
            }
        case .object(let members):
            Self.writeContainer(members, open: "{", close: "}", into: &out, indent: indent, depth: depth) {
                member,
                out in
                Self.writeString(member.key, into: &out)
                out += indent == nil ? ":" : ": "
                member.value.write(into: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    private static func writeContainer<Element>(
        _ elements: [Element],
        open: String,
        close: String,
        into out: inout String,
        indent: Int?,
        depth: Int,
        writeElement: (Element, inout String) -> Void
    ) {
        out += open
        guard !elements.isEmpty else {
            out += close
            return
        }
        for (position, element) in elements.enumerated() {
            if position > 0 { out += "," }
            if let indent { out += "\n" + String(repeating: " ", count: indent * (depth + 1)) }
            writeElement(element, &out)
        }
        if let indent { out += "\n" + String(repeating: " ", count: indent * depth) }
        out += close
    }

    private static func writeString(_ text: String, into out: inout String) {
        out += JSONString.quoted(text)
    }
}
