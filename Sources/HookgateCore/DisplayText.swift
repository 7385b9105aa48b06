/// Text from outside (an event id from a body, a header, a path) made safe for a line of the text log or a
/// terminal: a control character would otherwise end the line and forge the next one (CR, LF), or drive the
/// terminal that shows it (ESC, the C1 controls).
public enum DisplayText {
    /// `text` with each C0 control, DEL and C1 control written as an escape (`\n`, `\r`, `\t`, `\u{1B}`);
    /// other text, and the usual text without controls, unchanged.
    public static func escapingControls(_ text: String) -> String {
        guard text.utf8.contains(where: Self.mayStartControl) else { return text }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: escaped += "\\n"
            case 0x0D: escaped += "\\r"
            case 0x09: escaped += "\\t"
            case 0x00...0x1F, 0x7F...0x9F: escaped += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A C0 control, DEL, or the first byte of a two-byte sequence that may be a C1 control (U+0080-U+009F).
    private static func mayStartControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == 0xC2
    }
}
