import HookgateCore
import Testing

@testable import hookgate

/// ``ConfigurationLoader`` resolves the upstream section and the endpoints' forwarding settings.
@Suite(.timeLimit(.minutes(1)))
struct UpstreamConfigurationLoaderTests {
    private static let endpoint = """
        {"name": "s", "path": "/s", "scheme": "stripe", "secrets": [{"label": "current", "value": "whsec_a"}],
         "forward": "raw", "forward_unmapped": true, "mapping": {"charge.captured": "payment-succeeded"}}
        """

    private func load(_ upstream: String = "", environment: [String: String] = [:]) throws -> LoadedConfiguration {
        let directory = try TemporaryDirectory()
        let text = "{\"endpoints\": [\(Self.endpoint)]\(upstream.isEmpty ? "" : ", \"upstream\": " + upstream)}"
        let path = try directory.write("hookgate.json", Array(text.utf8))
        return try ConfigurationLoader().load(configPath: path, environment: environment)
    }

    @Test func defaultsPlaceTheSocketInTheDataDirectory() throws {
        let loaded = try self.load(environment: ["HOOKGATE_DATA_DIR": "/srv/hg"])
        #expect(loaded.upstream.socketPath == "/srv/hg/payments.sock")
        #expect(loaded.upstream.requestPath == "/events")
        #expect(loaded.upstream.maximumInFlight == 16)
        #expect(loaded.upstream.timeout == .seconds(10))
        #expect(loaded.upstream.retry == UpstreamRetryPolicy())
        #expect(loaded.upstream.signingKeyring == nil)
        #expect(loaded.effective.upstream.socket == "/srv/hg/payments.sock")
        let endpoint = try #require(loaded.settings.endpoint(forPath: "/s"))
        #expect(endpoint.forwardMode == .raw)
        #expect(endpoint.normalization.forwardUnmapped)
        #expect(endpoint.normalization.mapping.target(forStripeType: "charge.captured") == .catalog(.paymentSucceeded))
    }

    @Test func theEnvironmentOverridesTheConfiguredSocket() throws {
        let upstream = #"{"socket": "/run/file.sock", "path": "/in"}"#
        #expect(try self.load(upstream).upstream.socketPath == "/run/file.sock")
        let overridden = try self.load(upstream, environment: ["HOOKGATE_UPSTREAM_SOCKET": "/run/env.sock"])
        #expect(overridden.upstream.socketPath == "/run/env.sock")
        #expect(overridden.upstream.requestPath == "/in")
    }

    @Test func theSigningSecretBecomesAStandardWebhooksKey() throws {
        let upstream = #"{"signing_secret": {"label": "gateway", "env": "UPSTREAM_SECRET"}}"#
        let loaded = try self.load(upstream, environment: ["UPSTREAM_SECRET": "whsec_AAAA"])
        #expect(loaded.upstream.signingKeyring?.schemeName == "standard-webhooks")
        #expect(loaded.upstream.signingKeyring?.entries.map(\.label) == ["gateway"])
        do {
            _ = try self.load(upstream, environment: ["UPSTREAM_SECRET": "whsec_!!"])
            Issue.record("loaded an unusable signing secret")
        } catch let error as ConfigurationError {
            #expect(error.issues.map(\.location) == ["$.upstream.signing_secret"])
            #expect(error.issues.first?.code == .unusableSecret)
        }
    }
}
