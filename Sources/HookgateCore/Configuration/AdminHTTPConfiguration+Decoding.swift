extension AdminHTTPConfiguration {
    /// The HTTP listener's keys in the `admin` object.
    static let keys = ["http_listen", "token_env", "token_file", "allow_remote", "http_tls"]

    /// Decodes the HTTP listener's keys of the `admin` object; `nil` without `http_listen` (the other keys
    /// are then reported: they only apply to it).
    static func decode(
        _ fields: ConfigurationReader.Fields,
        reader: inout ConfigurationReader
    ) -> AdminHTTPConfiguration? {
        guard fields.has("http_listen") else {
            for key in Self.keys where fields.has(key) {
                reader.report(.invalidValue, at: fields.path(key), "only allowed with \"http_listen\"")
            }
            return nil
        }
        let address = reader.parsed("http_listen", in: fields, problem: ListenAddress.expectedForm) {
            ListenAddress(parsing: $0)
        }
        let tokenEnvironmentVariable = reader.string("token_env", in: fields)
        let tokenFile = reader.string("token_file", in: fields)
        if fields.has("token_env"), fields.has("token_file") {
            reader.report(
                .invalidValue,
                at: fields.path("token_file"),
                "give the token by token_env or token_file, not both"
            )
        }
        let allowRemote = reader.bool("allow_remote", in: fields) ?? false
        var tls: TLSFiles?
        if let files = reader.object("http_tls", in: fields, keys: ["certificate", "private_key"]) {
            let certificate = reader.require("certificate", in: files) ? reader.string("certificate", in: files) : nil
            let key = reader.require("private_key", in: files) ? reader.string("private_key", in: files) : nil
            if let certificate, let key { tls = TLSFiles(certificateChainPath: certificate, privateKeyPath: key) }
        }
        guard let address else { return nil }
        return AdminHTTPConfiguration(
            listen: address,
            tokenEnvironmentVariable: tokenEnvironmentVariable,
            tokenFile: tokenFile,
            allowRemote: allowRemote,
            tls: tls
        )
    }
}
