extension StripeAPIConfiguration {
    /// The longest `api_base` accepted.
    static let maximumAPIBaseBytes = 2_048

    /// What is wrong with `text` as `api_base`, or `nil` when it is usable: `https://host[:port]` (one trailing
    /// `/` allowed), or `http://` when the host is a loopback address; no user, path, query or fragment.
    public static func apiBaseProblem(_ text: String) -> String? {
        let expected = "expected https://host[:port] (http:// only for a loopback host, e.g. http://127.0.0.1:12111)"
        guard text.utf8.count <= Self.maximumAPIBaseBytes, text.utf8.allSatisfy({ (0x21..<0x7F).contains($0) })
        else { return expected }
        let lowered = text.lowercased()
        let isPlain: Bool
        let rest: Substring
        if lowered.hasPrefix("https://") {
            (isPlain, rest) = (false, Substring(text.dropFirst("https://".count)))
        } else if lowered.hasPrefix("http://") {
            (isPlain, rest) = (true, Substring(text.dropFirst("http://".count)))
        } else {
            return expected
        }
        let authority = rest.hasSuffix("/") ? rest.dropLast() : rest
        let hasPort = authority.lastIndex(of: "]").map { authority[$0...].contains(":") } ?? authority.contains(":")
        guard !authority.isEmpty, !authority.contains(where: { "/?#@".contains($0) }),
            let address = ListenAddress(parsing: hasPort ? String(authority) : String(authority) + ":443"),
            address.port != 0
        else { return expected }
        if isPlain, !address.isLoopback {
            return "http:// is only allowed for a loopback host (the emulator); use https:// for \(address.host)"
        }
        return nil
    }

    /// `text` without one trailing `/`, for `api_base` + path.
    public static func trimmedAPIBase(_ text: String) -> String {
        text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
