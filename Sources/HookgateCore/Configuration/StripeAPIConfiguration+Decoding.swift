extension StripeAPIConfiguration {
    static let keys = ["api_base", "api_key_env", "api_key_file"]

    /// Decodes `stripe`; keys left out keep their defaults. `api_key_env` and `api_key_file` together are an
    /// issue.
    static func decode(_ value: JSONValue, at path: JSONPath, reader: inout ConfigurationReader) -> Self {
        var stripe = StripeAPIConfiguration()
        guard let fields = reader.fields(of: value, at: path, keys: Self.keys) else { return stripe }
        if let text = reader.string("api_base", in: fields) {
            if let problem = Self.apiBaseProblem(text) {
                reader.report(.invalidValue, at: fields.path("api_base"), problem)
            } else {
                stripe.apiBase = Self.trimmedAPIBase(text)
            }
        }
        stripe.apiKeyEnvironmentVariable = reader.parsed(
            "api_key_env",
            in: fields,
            problem: "expected an environment variable name (letters, digits, '_', not starting with a digit)"
        ) { SecretConfiguration.isVariableName($0) ? $0 : nil }
        stripe.apiKeyFile = reader.parsed(
            "api_key_file",
            in: fields,
            problem: "expected a file path without NUL characters"
        ) { $0.isEmpty || $0.utf8.contains(0) ? nil : $0 }
        if fields.has("api_key_env"), fields.has("api_key_file") {
            reader.report(
                .invalidValue,
                at: fields.path("api_key_file"),
                "give the API key by api_key_env or api_key_file, not both"
            )
        }
        return stripe
    }
}
