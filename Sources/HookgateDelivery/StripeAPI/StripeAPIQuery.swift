/// Form-encodes query parameters the way Stripe reads them (`types%5B%5D=a&types%5B%5D=b` for `types[]`).
enum StripeAPIQuery {
    /// `?name=value&...` with names and values percent-encoded (all but RFC 3986's unreserved characters, so
    /// that the HTTP client takes the URL as it is), or `""` for none.
    static func encoded(_ parameters: [(name: String, value: String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        return "?"
            + parameters.map { Self.escaped($0.name) + "=" + Self.escaped($0.value) }
            .joined(separator: "&")
    }

    private static func escaped(_ text: String) -> String {
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
