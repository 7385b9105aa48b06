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

    /// Why `token` cannot be used (too short or long, or characters a URL or header would mangle); `nil` when
    /// it can. Never quotes the token.
    public static func problem(with token: String) -> String? {
        let bytes = token.utf8
        if bytes.count < Self.minimumLength { return "the token is shorter than \(Self.minimumLength) characters" }
        if bytes.count > Self.maximumLength { return "the token is longer than \(Self.maximumLength) characters" }
        if !bytes.allSatisfy({ (0x21...0x7E).contains($0) }) {
            return "the token may only hold visible ASCII characters (no spaces or control characters)"
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
