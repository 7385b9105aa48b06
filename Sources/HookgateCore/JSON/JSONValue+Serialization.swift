extension JSONValue {
    /// The value as JSON text: compact when `indent` is `nil`, else pretty-printed with `indent` spaces per
    /// level and `"key": value`. Strings escape `"`, `\` and control characters only; object members keep
    /// their order.
    public func serialized(indent: Int? = nil) -> String {
        String(decoding: self.serializedUTF8(indent: indent), as: UTF8.self)
    }

    /// ``serialized(indent:)`` as UTF-8 bytes.
    func serializedUTF8(indent: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        self.write(into: &out, indent: indent, depth: 0)
        return out
    }

    private func write(into out: inout [UInt8], indent: Int?, depth: Int) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .integer(let value): out += String(value).utf8
        case .number(let value): out += value.description.utf8
        case .string(let value): JSONString.appendQuoted(value, to: &out)
        case .array(let elements):
            Self.writeContainer(elements, open: "[", close: "]", into: &out, indent: indent, depth: depth) {
                element,
                out in element.write(into: &out, indent: indent, depth: depth + 1)
            }
        case .object(let members):
            Self.writeContainer(members, open: "{", close: "}", into: &out, indent: indent, depth: depth) {
                member,
                out in
                JSONString.appendQuoted(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                member.value.write(into: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    private static func writeContainer<Element>(
        _ elements: [Element],
        open: Unicode.Scalar,
        close: Unicode.Scalar,
        into out: inout [UInt8],
        indent: Int?,
        depth: Int,
        writeElement: (Element, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: open))
        guard !elements.isEmpty else {
            out.append(UInt8(ascii: close))
            return
        }
        for (position, element) in elements.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            if let indent { Self.writeNewline(indentedBy: indent * (depth + 1), into: &out) }
            writeElement(element, &out)
        }
        if let indent { Self.writeNewline(indentedBy: indent * depth, into: &out) }
        out.append(UInt8(ascii: close))
    }

    private static func writeNewline(indentedBy spaces: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out += repeatElement(UInt8(ascii: " "), count: spaces)
    }
}
