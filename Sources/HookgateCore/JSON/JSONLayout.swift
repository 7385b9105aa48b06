/// Lays JSON text out again with different whitespace, keeping every token byte for byte.
///
/// Used to test whether a body that fails verification is the signed body re-serialized: a compact body is
/// tried pretty-printed the way Stripe sends it, a pretty-printed one compact.
public struct JSONLayout: Sendable, Hashable {
    /// How empty arrays and objects are written when pretty-printing.
    public enum EmptyContainers: Sendable, Hashable {
        /// `[]` and `{}` (Ruby's `JSON.pretty_generate`, today's Stripe payloads).
        case inline
        /// `[\n\n<indent>]`, as older Stripe payloads have them.
        case blankLine
    }

    /// Spaces per nesting level; `nil` for compact output.
    public var indent: Int?
    /// How empty containers are written (pretty output only).
    public var emptyContainers: EmptyContainers
    /// Whether `/` inside strings is written `\/` (as older Stripe payloads and PHP do).
    public var escapeSlashes: Bool

    /// Compact: no whitespace at all (what `JSON.stringify(value)` produces).
    public static let compact = JSONLayout(indent: nil, emptyContainers: .inline, escapeSlashes: false)
    /// Stripe's pretty-printing: two spaces, `"key": value`.
    public static let stripePretty = JSONLayout(indent: 2, emptyContainers: .inline, escapeSlashes: false)

    public init(indent: Int?, emptyContainers: EmptyContainers, escapeSlashes: Bool) {
        self.indent = indent
        self.emptyContainers = emptyContainers
        self.escapeSlashes = escapeSlashes
    }

    /// `json` laid out in this style, or `nil` when it is not JSON this layout can handle.
    public func apply(to json: [UInt8]) -> [UInt8]? {
        guard let tokens = JSONTokenizer.tokens(of: json) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 2)
        var depth = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            switch token {
            case .beginObject, .beginArray:
                out.append(token == .beginObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
                let closer: JSONTokenizer.Token = token == .beginObject ? .endObject : .endArray
                if index + 1 < tokens.count, tokens[index + 1] == closer {
                    if self.indent != nil, self.emptyContainers == .blankLine {
                        out.append(contentsOf: [UInt8(ascii: "\n"), UInt8(ascii: "\n")])
                        self.writeIndent(depth, into: &out)
                    }
                    out.append(closer == .endObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    index += 2
                    continue
                }
                depth += 1
                self.newline(depth, into: &out)
            case .endObject, .endArray:
                depth -= 1
                self.newline(depth, into: &out)
                out.append(token == .endObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            case .colon:
                out.append(UInt8(ascii: ":"))
                if self.indent != nil { out.append(UInt8(ascii: " ")) }
            case .comma:
                out.append(UInt8(ascii: ","))
                self.newline(depth, into: &out)
            case .string(let range):
                self.writeString(json[range], into: &out)
            case .scalar(let range):
                out.append(contentsOf: json[range])
            }
            index += 1
        }
        return out
    }

    private func newline(_ depth: Int, into out: inout [UInt8]) {
        guard self.indent != nil else { return }
        out.append(UInt8(ascii: "\n"))
        self.writeIndent(depth, into: &out)
    }

    private func writeIndent(_ depth: Int, into out: inout [UInt8]) {
        guard let indent = self.indent else { return }
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
    }

    private func writeString(_ string: ArraySlice<UInt8>, into out: inout [UInt8]) {
        guard self.escapeSlashes else {
            out.append(contentsOf: string)
            return
        }
        var escaped = false
        for byte in string {
            if byte == UInt8(ascii: "/"), !escaped { out.append(UInt8(ascii: "\\")) }
            escaped = !escaped && byte == UInt8(ascii: "\\")
            out.append(byte)
        }
    }
}
