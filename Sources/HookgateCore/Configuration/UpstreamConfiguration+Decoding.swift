extension UpstreamConfiguration {
    static let keys = ["socket", "path", "max_in_flight", "timeout_ms", "retry", "signing_secret"]
    static let retryKeys = ["base_ms", "cap_seconds", "max_attempts", "max_age_seconds"]

    /// Decodes `upstream`; keys left out keep their defaults. Checks `retry.cap_seconds` against `base_ms`.
    static func decode(_ value: JSONValue, at path: JSONPath, reader: inout ConfigurationReader) -> Self {
        var upstream = UpstreamConfiguration()
        guard let fields = reader.fields(of: value, at: path, keys: Self.keys) else { return upstream }
        upstream.socket = reader.parsed("socket", in: fields, problem: "expected a file path without NUL characters") {
            $0.isEmpty || $0.utf8.contains(0) ? nil : $0
        }
        upstream.requestPath =
            reader.parsed(
                "path",
                in: fields,
                problem: "expected a path starting with '/', of printable ASCII without spaces or '#'"
            ) { text in
                text.hasPrefix("/") && text.utf8.count <= 1_024
                    && text.utf8.allSatisfy { (0x21..<0x7F).contains($0) && $0 != UInt8(ascii: "#") } ? text : nil
            } ?? upstream.requestPath
        upstream.maximumInFlight =
            reader.integer("max_in_flight", in: fields, range: 1...1_024) ?? upstream.maximumInFlight
        if let timeout = reader.integer("timeout_ms", in: fields, range: 1...600_000) {
            upstream.timeout = .milliseconds(timeout)
        }
        if let retry = reader.object("retry", in: fields, keys: Self.retryKeys) {
            upstream.retry = Self.decodeRetry(retry, reader: &reader)
        }
        if let secret = fields.values["signing_secret"] {
            upstream.signingSecret = SecretConfiguration.decode(
                secret,
                at: fields.path("signing_secret"),
                reader: &reader
            )
        }
        return upstream
    }

    private static func decodeRetry(
        _ fields: ConfigurationReader.Fields,
        reader: inout ConfigurationReader
    ) -> UpstreamRetryPolicy {
        var retry = UpstreamRetryPolicy()
        if let base = reader.integer("base_ms", in: fields, range: 1...3_600_000) { retry.base = .milliseconds(base) }
        if let cap = reader.integer("cap_seconds", in: fields, range: 1...86_400) { retry.cap = .seconds(cap) }
        retry.maximumAttempts =
            reader.integer("max_attempts", in: fields, range: 0...1_000_000) ?? retry.maximumAttempts
        if let age = reader.integer("max_age_seconds", in: fields, range: 1...(30 * 86_400)) {
            retry.maximumAge = .seconds(age)
        }
        if retry.cap < retry.base {
            reader.report(.invalidValue, at: fields.path("cap_seconds"), "must not be shorter than base_ms")
        }
        return retry
    }
}
