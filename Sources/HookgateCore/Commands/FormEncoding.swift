/// Stripe's form encoding (`application/x-www-form-urlencoded`) of name-value pairs, for a query string or a
/// request body: `metadata%5Border_id%5D=ord_1&amount=2000`.
public enum FormEncoding {
    /// `name=value&...` in the order given, names and values percent-encoded: every byte of their UTF-8 but
    /// RFC 3986's unreserved characters (so brackets, spaces and `&` never reach Stripe raw, and an HTTP
    /// client takes the text as it is); `""` for none.
    public static func encoded(_ parameters: [(name: String, value: String)]) -> String {
        parameters.map { Self.escaped($0.name) + "=" + Self.escaped($0.value) }.joined(separator: "&")
    }

    /// `text` percent-encoded: every byte of its UTF-8 but RFC 3986's unreserved characters (a form's name or
    /// value, or a path segment).
    public static func escaped(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }
}
