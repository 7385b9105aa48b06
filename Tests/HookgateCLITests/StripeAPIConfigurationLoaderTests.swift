import Foundation
import HookgateCore
import Testing

@testable import hookgate

/// The Stripe API settings `serve` resolves: `HOOKGATE_STRIPE_API_BASE`, the key's variable or file, and
/// problems that never quote the key.
@Suite(.timeLimit(.minutes(1)))
struct StripeAPIConfigurationLoaderTests {
    static let endpoint = """
        "endpoints": [{"name": "stripe", "path": "/s", "scheme": "stripe",
                       "secrets": [{"label": "current", "value": "whsec_x"}]}]
        """

    func load(_ stripe: String?, environment: [String: String] = [:]) throws -> LoadedConfiguration {
        let directory = try TemporaryDirectory()
        let members = [Self.endpoint] + (stripe.map { ["\"stripe\": \($0)"] } ?? [])
        let path = try directory.write("hookgate.json", Array("{\(members.joined(separator: ", "))}".utf8))
        return try ConfigurationLoader().load(configPath: path, environment: environment)
    }

    func issues(_ stripe: String?, environment: [String: String]) throws -> [ConfigurationIssue] {
        do {
            _ = try self.load(stripe, environment: environment)
            Issue.record("loaded")
            return []
        } catch let error as ConfigurationError {
            return error.issues
        }
    }

    /// No key in `STRIPE_API_KEY`: no settings (thin events stay raw); with one, the default base.
    @Test func keyFromTheDefaultVariable() throws {
        #expect(try self.load(nil).stripeAPI == nil)
        let loaded = try #require(try self.load(nil, environment: ["STRIPE_API_KEY": "sk_test_abc"]).stripeAPI)
        #expect(loaded.apiBase == "https://api.stripe.com")
        #expect(loaded.apiKey.value == "sk_test_abc")
        #expect(loaded.keySource == "environment variable STRIPE_API_KEY")
        let printed = try self.load(nil, environment: ["STRIPE_API_KEY": "sk_test_abc"]).effective.redactedJSON
        #expect(!printed.serialized(indent: 2).contains("sk_test_abc"))
    }

    /// `HOOKGATE_STRIPE_API_BASE` replaces `stripe.api_base`; a bad one is an issue named by the variable.
    @Test func apiBaseOverride() throws {
        let environment = ["HOOKGATE_STRIPE_API_BASE": "http://127.0.0.1:12111/", "K": "sk_test_abc"]
        let loaded = try #require(try self.load("{\"api_key_env\": \"K\"}", environment: environment).stripeAPI)
        #expect(loaded.apiBase == "http://127.0.0.1:12111")
        let issues = try self.issues(nil, environment: ["HOOKGATE_STRIPE_API_BASE": "http://example.com"])
        #expect(issues.map(\.location) == ["HOOKGATE_STRIPE_API_BASE"])
        #expect(issues.first?.code == .invalidEnvironmentOverride)
    }

    /// A key file is read without its final newline; an unreadable one or a key with a space is an issue
    /// that does not quote the key.
    @Test func keyFromAFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("key", Array("sk_test_fromfile\n".utf8))
        let loaded = try #require(try self.load("{\"api_key_file\": \"\(file)\"}").stripeAPI)
        #expect(loaded.apiKey.value == "sk_test_fromfile")
        #expect(loaded.keySource == "file \(file)")
        let missing = try self.issues("{\"api_key_file\": \"\(directory.url.path)/none\"}", environment: [:])
        #expect(missing.map(\.location) == ["$.stripe.api_key_file"])
        let spaced = try self.issues(nil, environment: ["STRIPE_API_KEY": "sk_test_secret value"])
        #expect(spaced.map(\.location) == ["STRIPE_API_KEY"])
        #expect(!spaced.map(\.description).joined().contains("sk_test_secret"))
    }
}
