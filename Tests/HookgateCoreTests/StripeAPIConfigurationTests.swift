import HookgateCore
import Testing

/// The `stripe` section: defaults, every key, and clear errors for bad API bases and key sources.
struct StripeAPIConfigurationTests {
    func decode(_ stripe: String) throws(ConfigurationError) -> HookgateConfiguration {
        try HookgateConfiguration.decode(Array(ConfigurationDecodingTests.document("\"stripe\": \(stripe)").utf8))
    }

    func issueLines(_ stripe: String) -> [String] {
        do {
            _ = try self.decode(stripe)
            Issue.record("decoded: \(stripe)")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    /// Without the section: `https://api.stripe.com`, the key from `STRIPE_API_KEY`.
    @Test func defaults() throws {
        let configuration = try HookgateConfiguration.decode(Array(ConfigurationDecodingTests.document().utf8))
        #expect(configuration.stripe == StripeAPIConfiguration())
        #expect(configuration.stripe.apiBase == "https://api.stripe.com")
        #expect(
            configuration.redactedJSON["stripe"]
                == .object([JSONValue.Member(key: "api_base", value: .string("https://api.stripe.com"))])
        )
    }

    /// Every key decodes; one trailing `/` of the base is dropped; a loopback host may use `http://`.
    @Test(arguments: [
        ("https://api.stripe.com/", "https://api.stripe.com"),
        ("http://127.0.0.1:12111", "http://127.0.0.1:12111"),
        ("http://localhost:8080/", "http://localhost:8080"),
        ("http://[::1]:9000", "http://[::1]:9000"),
        ("https://stripe.internal:8443", "https://stripe.internal:8443"),
    ])
    func apiBases(_ text: String, _ expected: String) throws {
        let configuration = try self.decode("{\"api_base\": \"\(text)\", \"api_key_env\": \"MY_KEY\"}")
        #expect(configuration.stripe.apiBase == expected)
        #expect(configuration.stripe.apiKeyEnvironmentVariable == "MY_KEY")
    }

    /// A base that is not `https://host[:port]` (or plain HTTP to a non-loopback host) names its path.
    @Test(arguments: [
        "http://api.stripe.com", "ftp://api.stripe.com", "https://", "https://api.stripe.com/v1",
        "https://user@api.stripe.com", "https://api.stripe.com?x=1", "https://api.stripe.com:0", "api.stripe.com",
        "http://10.0.0.1:80",
    ])
    func badAPIBases(_ text: String) {
        let lines = self.issueLines("{\"api_base\": \"\(text)\"}")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("$.stripe.api_base: ") == true)
    }

    /// The key comes from a variable or a file, not both; check-config's JSON names the source only.
    @Test func keySources() throws {
        let file = try self.decode("{\"api_key_file\": \"/run/secrets/stripe\"}")
        #expect(file.stripe.apiKeyFile == "/run/secrets/stripe")
        #expect(file.redactedJSON["stripe"]?["api_key_file"] == .string("/run/secrets/stripe"))
        #expect(file.redactedJSON["stripe"]?["api_key_env"] == nil)
        #expect(
            self.issueLines("{\"api_key_env\": \"A\", \"api_key_file\": \"/k\"}") == [
                "$.stripe.api_key_file: give the API key by api_key_env or api_key_file, not both"
            ]
        )
        #expect(self.issueLines("{\"api_key_env\": \"1BAD\"}").first?.hasPrefix("$.stripe.api_key_env:") == true)
        #expect(
            self.issueLines("{\"api_key\": \"sk_test_x\"}").first?.hasPrefix("$.stripe.api_key: unknown key") == true
        )
    }

    /// A key must fit an `Authorization` header; the problem never quotes it.
    @Test func keyProblems() {
        #expect(StripeAPISettings.keyProblem("sk_test_123") == nil)
        #expect(StripeAPISettings.keyProblem("") != nil)
        #expect(StripeAPISettings.keyProblem("sk_test_1 23")?.contains("sk_test") == false)
        #expect(StripeAPISettings.keyProblem(String(repeating: "k", count: 1_025)) != nil)
    }
}
