import HookgateCore

// The JSON serialization as it was before the one-pass normalizer (issue 14), frozen for the oracle.

/// Escaping text for JSON strings: `"`, `\` and control characters (U+0000–U+001F, U+007F) only.
enum OracleJSONString {
    /// `text` escaped for use between JSON quotes; returned as it is when nothing needs escaping.
    static func escaped(_ text: String) -> String {
        guard
            text.utf8.contains(where: {
                $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
            })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20 || control.value == 0x7F:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` as a quoted JSON string.
    static func quoted(_ text: String) -> String {
        "\"" + self.escaped(text) + "\""
    }
}

extension JSONValue {
    /// The value as JSON text: compact when `indent` is `nil`, else pretty-printed with `indent` spaces per
    /// level and `"key": value`. Strings escape `"`, `\` and control characters only; object members keep
    /// their order.
    func oracleSerialized(indent: Int? = nil) -> String {
        var out = ""
        self.oracleWrite(into: &out, indent: indent, depth: 0)
        return out
    }

    private func oracleWrite(into out: inout String, indent: Int?, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .number(let value): out += value.description
        case .string(let value): Self.oracleWriteString(value, into: &out)
        case .array(let elements):
            Self.oracleWriteContainer(elements, open: "[", close: "]", into: &out, indent: indent, depth: depth) {
                element,
                out in element.oracleWrite(into: &out, indent: indent, depth: depth + 1)
            }
        case .object(let members):
            Self.oracleWriteContainer(members, open: "{", close: "}", into: &out, indent: indent, depth: depth) {
                member,
                out in
                Self.oracleWriteString(member.key, into: &out)
                out += indent == nil ? ":" : ": "
                member.value.oracleWrite(into: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    private static func oracleWriteContainer<Element>(
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

    private static func oracleWriteString(_ text: String, into out: inout String) {
        out += OracleJSONString.quoted(text)
    }
}
