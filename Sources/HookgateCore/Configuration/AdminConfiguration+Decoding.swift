extension AdminConfiguration {
    /// The keys of the `admin` object: the listener's, then the HTTP listener's (``AdminHTTPConfiguration``).
    static let keys =
        ["socket", "socket_mode", "listen", "allow_non_loopback", "disabled"] + AdminHTTPConfiguration.keys

    /// Decodes `admin`: `{"socket": PATH, "socket_mode": "0600"}` (both optional), `{"listen": "host:port",
    /// "allow_non_loopback": false}` or `{"disabled": true}`, each but the last with the optional HTTP listener's
    /// keys (`http_listen`, `token_env`, `token_file`, `allow_remote`, `http_tls`).
    static func decode(
        _ value: JSONValue,
        at path: JSONPath,
        reader: inout ConfigurationReader
    ) -> (listener: AdminConfiguration, http: AdminHTTPConfiguration?) {
        guard let fields = reader.fields(of: value, at: path, keys: Self.keys) else { return (.standard, nil) }
        if let disabled = reader.bool("disabled", in: fields), disabled {
            for key in Self.keys where key != "disabled" && fields.has(key) {
                reader.report(.invalidValue, at: fields.path(key), "not allowed with \"disabled\": true")
            }
            return (.disabled, nil)
        }
        let http = AdminHTTPConfiguration.decode(fields, reader: &reader)
        if fields.has("listen") {
            for key in ["socket", "socket_mode"] where fields.has(key) {
                reader.report(.invalidValue, at: fields.path(key), "not allowed with \"listen\" (a TCP admin listener)")
            }
            let allowNonLoopback = reader.bool("allow_non_loopback", in: fields) ?? false
            let address = reader.parsed("listen", in: fields, problem: ListenAddress.expectedForm) {
                ListenAddress(parsing: $0)
            }
            return (address.map { .tcp($0, allowNonLoopback: allowNonLoopback) } ?? .standard, http)
        }
        if fields.has("allow_non_loopback") {
            reader.report(.invalidValue, at: fields.path("allow_non_loopback"), "only allowed with \"listen\"")
        }
        let socketPath = reader.string("socket", in: fields)
        let mode =
            reader.parsed(
                "socket_mode",
                in: fields,
                problem: "expected an octal file mode from \"0000\" to \"0777\", e.g. \"0600\""
            ) { Self.parseFileMode($0) } ?? 0o600
        return (.unixSocket(path: socketPath, mode: mode), http)
    }

    /// Three or four octal digits, at most 0777.
    static func parseFileMode(_ text: String) -> UInt16? {
        guard (3...4).contains(text.count), text.allSatisfy({ ("0"..."7").contains($0) }),
            let mode = UInt16(text, radix: 8), mode <= 0o777
        else { return nil }
        return mode
    }
}
