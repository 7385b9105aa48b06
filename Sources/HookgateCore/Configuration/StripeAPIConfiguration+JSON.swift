extension StripeAPIConfiguration {
    /// `stripe` as `check-config` prints it: the API base and the key's configured source, never the key.
    var json: JSONValue {
        var members = [JSONValue.Member(key: "api_base", value: .string(self.apiBase))]
        // The sources as configured (an unset api_key_env stays unset), so the printed file decodes to the same value.
        if let name = self.apiKeyEnvironmentVariable {
            members.append(JSONValue.Member(key: "api_key_env", value: .string(name)))
        }
        if let file = self.apiKeyFile { members.append(JSONValue.Member(key: "api_key_file", value: .string(file))) }
        return .object(members)
    }
}
