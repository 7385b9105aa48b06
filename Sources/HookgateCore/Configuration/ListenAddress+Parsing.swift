extension ListenAddress {
    /// What ``init(parsing:)`` accepts, for error messages.
    public static let expectedForm = "expected host:port ([address]:port for IPv6) with a port from 0 to 65535"

    /// Parses `host:port`: an IPv4 address or host name, or a bracketed IPv6 address (`[::1]:8443`), and a
    /// decimal port from 0 to 65535. Returns `nil` for anything else.
    public init?(parsing text: String) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            guard host.contains(":"), IPAddressText.parse(host) != nil else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            guard !host.contains(":"), Self.isValidHost(host) else { return nil }
        }
        guard (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
            number <= 65_535
        else { return nil }
        self.init(host: String(host), port: number)
    }

    /// An IPv4 address or a DNS name of letters, digits, `-` and `.`.
    private static func isValidHost(_ host: Substring) -> Bool {
        if IPAddressText.parse(host) != nil { return true }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard host.utf8.count <= 253, !labels.isEmpty else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { scalar in
                    switch scalar {
                    case "a"..."z", "A"..."Z", "0"..."9", "-": true
                    default: false
                    }
                }
        } && !labels.last!.allSatisfy(\.isNumber)
    }
}
