/// Parsing and printing IP addresses as bytes, without the socket API.
public enum IPAddressText {
    /// The 4 bytes of a dotted IPv4 address or the 16 bytes of an IPv6 address; `nil` otherwise.
    public static func parse(_ text: Substring) -> [UInt8]? {
        text.contains(":") ? self.parseIPv6(text) : self.parseIPv4(text)
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                let value = UInt8(part), part.count == 1 || !part.hasPrefix("0")
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        var text = text
        var tail: [UInt8] = []
        // A trailing dotted IPv4 part (::ffff:192.0.2.1).
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let ipv4 = self.parseIPv4(text[text.index(after: lastColon)...]) else { return nil }
            tail = ipv4
            text = text[...lastColon]
            if text.hasSuffix(":"), !text.hasSuffix("::") { text = text.dropLast() }
        }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 {
            let bytes = head + tail
            return bytes.count == 16 ? bytes : nil
        }
        guard let rest = groups(halves[1]) else { return nil }
        let known = head.count + rest.count + tail.count
        guard known <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - known) + rest + tail
    }

    /// Dotted IPv4 or full (uncompressed) lowercase IPv6 text.
    public static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2)
            .map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
