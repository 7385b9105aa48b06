public import HookgateCore

/// The admin HTTP listener's access token: its rules, a random one, and constant-time comparison.
public enum AdminAccessToken {
    /// The shortest token accepted (a guessable token would make the dashboard public).
    public static let minimumLength = 16
    /// The longest token accepted.
    public static let maximumLength = 1024

    /// A new random token: 32 bytes from the system's random number generator as 64 hex digits.
    public static func random() -> Secret {
        Secret(self.randomHex(byteCount: 32))
    }

    /// Why `token` cannot be used (too short or long, or a character a URL would need to escape: `+` in a
    /// query reads as a space); `nil` when it can. Never quotes the token.
    public static func problem(with token: String) -> String? {
        let bytes = token.utf8
        if bytes.count < Self.minimumLength { return "the token is shorter than \(Self.minimumLength) characters" }
        if bytes.count > Self.maximumLength { return "the token is longer than \(Self.maximumLength) characters" }
        let allowed = bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                true
            default: false
            }
        }
        guard allowed else {
            return "the token may only hold letters, digits and - . _ ~ (so that it needs no escaping in a URL), "
                + "e.g. from openssl rand -hex 32"
        }
        return nil
    }

    /// `count` random bytes as lowercase hex.
    static func randomHex(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(byteCount * 2)
        for _ in 0..<byteCount {
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `offered` equals `expected`, in a time that depends only on `expected`'s length.
    static func constantTimeEquals(_ expected: String, _ offered: String) -> Bool {
        let expectedBytes = Array(expected.utf8)
        let offeredBytes = Array(offered.utf8)
        var difference: UInt8 = expectedBytes.count == offeredBytes.count ? 0 : 1
        for index in expectedBytes.indices {
            difference |= expectedBytes[index] ^ (index < offeredBytes.count ? offeredBytes[index] : 0)
        }
        return difference == 0
    }
}
