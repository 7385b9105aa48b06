/// Form-encodes query parameters the way Stripe reads them (`types[]=a&types[]=b`).
enum StripeAPIQuery {
    /// `?name=value&...` with names and values percent-encoded (`[` and `]` kept), or `""` for none.
    static func encoded(_ parameters: [(name: String, value: String)]) -> String {
        guard !parameters.isEmpty else { return "" }
        return "?"
            + parameters.map { Self.escaped($0.name, keeping: "[]") + "=" + Self.escaped($0.value) }
            .joined(separator: "&")
    }

    private static func escaped(_ text: String, keeping extra: String = "") -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case _ where extra.utf8.contains(byte):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }
}
