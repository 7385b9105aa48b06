import HookgateCore
import HookgateStore
import Testing

@testable import hookgate

/// ``ConfigurationLoader`` in process: what the server and store receive, and development secrets.
@Suite(.timeLimit(.minutes(1)))
struct ConfigurationLoaderTests {
    func load(_ contents: String, environment: [String: String] = [:]) throws -> LoadedConfiguration {
        let directory = try TemporaryDirectory()
        let path = try directory.write("hookgate.json", Array(contents.utf8))
        return try ConfigurationLoader().load(configPath: path, environment: environment)
    }

    func issues(_ contents: String, environment: [String: String] = [:]) throws -> [ConfigurationIssue] {
        do {
            _ = try self.load(contents, environment: environment)
            Issue.record("loaded")
            return []
        } catch let error as ConfigurationError {
            return error.issues
        }
    }

    @Test func buildsGatewaySettingsStoreAndLogging() throws {
        let loaded = try self.load(
            """
            {"listen": ["127.0.0.1:0"],
             "endpoints": [
               {"name": "a", "path": "/a", "scheme": "stripe", "max_body_bytes": 1000, "mode": "live",
                "allowed_sources": ["10.0.0.0/8"], "tolerance": {"past_seconds": 60, "future_seconds": 5},
                "secrets": [{"label": "current", "env": "A_SECRET"},
                            {"label": "old", "value": "whsec_old", "expires_at": "2026-12-01T00:00:00Z"}]},
               {"name": "b", "path": "/b", "scheme": "standard-webhooks",
                "secrets": [{"label": "only", "env": "B_SECRET"}]}],
             "store": {"retention_days": 7},
             "limits": {"max_body_bytes": 4096, "idle_timeout_ms": 1500},
             "logging": {"format": "json"}}
            """,
            environment: ["A_SECRET": "whsec_a", "B_SECRET": "whsec_AAAA", "HOOKGATE_DATA_DIR": "/srv/hg"]
        )
        let settings = loaded.settings
        #expect(settings.listen == [ListenAddress(host: "127.0.0.1", port: 0)])
        #expect(settings.tls == HookgateConfiguration.developmentTLSFiles)
        #expect(settings.admin == .unixSocket(path: "/srv/hg/admin.sock", mode: 0o600))
        #expect(settings.limits.maximumBodyBytes == 4_096)
        #expect(settings.limits.idleTimeout == .milliseconds(1_500))
        let a = try #require(settings.endpoint(forPath: "/a"))
        #expect(a.scheme.name == "stripe")
        #expect(a.keyring.entries.map(\.label) == ["current", "old"])
        #expect(a.keyring.entries.map(\.expiresAt) == [nil, 1_796_083_200])
        #expect(a.maximumBodyBytes == 1_000)
        #expect(a.expectedMode == .live)
        #expect(a.tolerance == TimestampTolerance(past: 60, future: 5))
        #expect(a.allows(peer: [10, 1, 2, 3]))
        #expect(!a.allows(peer: [11, 1, 2, 3]))
        let b = try #require(settings.endpoint(forPath: "/b"))
        #expect(b.scheme.name == "standard-webhooks")
        #expect(b.maximumBodyBytes == 4_096)
        #expect(loaded.store.backend == .sqlite)
        #expect(loaded.store.location == "/srv/hg/hookgate.sqlite")
        #expect(loaded.store.retention.window == .seconds(7 * 86_400))
        #expect(loaded.logging == LoggingSettings(format: .json, level: .info))
        #expect(loaded.mode == .development)
        #expect(loaded.dataDirectory == "/srv/hg")
        #expect(loaded.generatedSecrets.isEmpty)
    }

    /// The keyring verifies with the secret read from the environment.
    @Test func keyringVerifiesWithTheResolvedSecret() throws {
        let loaded = try self.load(
            #"{"endpoints": [{"name": "s", "path": "/s", "scheme": "stripe", "secrets": [{"label": "k", "env": "S"}]}]}"#,
            environment: ["S": "whsec_resolved"]
        )
        let endpoint = try #require(loaded.settings.endpoints.first)
        let body = Array("{\"id\":\"evt_1\"}".utf8)
        let key = try StripeSignatureScheme().makeKey(Secret("whsec_resolved"), label: "k")
        let headers = endpoint.scheme.sign(body: body, keys: [key], timestamp: 1_800_000_000, messageID: nil)
        let verified = try endpoint.scheme.verify(
            body: body,
            headers: headers,
            keyring: endpoint.keyring,
            tolerance: endpoint.tolerance,
            now: 1_800_000_000
        )
        #expect(verified.keyLabel == "k")
    }

    /// An unset variable gets one random `whsec_` secret in development, shared by every use of the variable.
    @Test func developmentSecretsAreGeneratedOncePerVariable() throws {
        let contents = """
            {"endpoints": [
              {"name": "a", "path": "/a", "scheme": "stripe", "secrets": [{"label": "x", "env": "UNSET_ONE"}]},
              {"name": "b", "path": "/b", "scheme": "standard-webhooks",
               "secrets": [{"label": "y", "env": "UNSET_ONE"}, {"label": "z", "env": "UNSET_TWO"}]}]}
            """
        let loaded = try self.load(contents, environment: ["UNSET_TWO": ""])
        let generated = loaded.generatedSecrets
        #expect(generated.map(\.endpoint) == ["a", "b", "b"])
        #expect(generated.map(\.label) == ["x", "y", "z"])
        #expect(generated.map(\.environmentVariable) == ["UNSET_ONE", "UNSET_ONE", "UNSET_TWO"])
        #expect(generated[0].secret == generated[1].secret)
        #expect(generated[0].secret != generated[2].secret)
        for secret in generated.map(\.secret.value) {
            #expect(secret.wholeMatch(of: /whsec_[A-Za-z0-9+\/]{43}=/) != nil)
        }
        let again = try self.load(contents)
        #expect(again.generatedSecrets[0].secret != generated[0].secret)
    }

    /// Production mode: no generated secret, and the certificate files must be readable.
    @Test func productionGeneratesNothing() throws {
        let directory = try TemporaryDirectory()
        let certificate = try directory.write("cert.pem", Array("cert".utf8))
        let issues = try self.issues(
            """
            {"mode": "production", "tls": {"certificate": "\(certificate)", "private_key": "/nonexistent/key.pem"},
             "endpoints": [{"name": "a", "path": "/a", "scheme": "stripe", "secrets": [{"label": "x", "env": "UNSET_ONE"}]}]}
            """
        )
        #expect(issues.map(\.code) == [.unusableSecret, .unreadableFile])
        #expect(issues.map(\.location) == ["$.endpoints[0].secrets[0].env", "$.tls.private_key"])
    }

    /// Decoding problems and bad overrides are reported together.
    @Test func fileAndEnvironmentProblemsTogether() throws {
        let issues = try self.issues("{\"bogus\": 1}", environment: ["HOOKGATE_LOG_LEVEL": "loud"])
        #expect(
            issues.map(\.description) == [
                "$.bogus: unknown key (expected one of: mode, listen, tls, endpoints, store, limits, admin, logging, upstream, stripe, reconcile, commands)",
                "$.endpoints: required key is missing",
                "HOOKGATE_LOG_LEVEL: must be one of \"trace\", \"debug\", \"info\", \"notice\", \"warning\", \"error\", \"critical\"",
            ]
        )
    }

    /// `store.backend` is `"sqlite"` when absent or named; an unknown value is refused with the accepted values
    /// (and the closest one when it looks like a slip), and `"postgres"` without a URL is refused, by `serve` and
    /// by the commands that only read the store.
    @Test func storeBackendIsSQLiteByDefaultAndOtherValuesAreRefused() throws {
        func configuration(_ store: String) -> String {
            """
            {"endpoints": [{"name": "a", "path": "/a", "scheme": "stripe", "secrets": [{"label": "k", "env": "A"}]}],
             "store": {\(store)}}
            """
        }
        let environment = ["A": "whsec_a", "HOOKGATE_DATA_DIR": "/srv/hg"]
        for store in ["", #""backend": "sqlite""#] {
            let loaded = try self.load(configuration(store), environment: environment)
            #expect(loaded.store == DeliveryStoreConfiguration(backend: .sqlite, location: "/srv/hg/hookgate.sqlite"))
            #expect(loaded.effective.store.backend == .sqlite)
        }
        let directory = try TemporaryDirectory()
        for (value, reason) in [
            (
                "postgres",
                #"$.store.postgres.url: required when store.backend is "postgres" (or set HOOKGATE_DATABASE_URL)"#
            ),
            ("SQLite3", #"$.store.backend: must be one of "sqlite", "postgres" (did you mean "sqlite"?)"#),
        ] {
            let contents = configuration(#""backend": "\#(value)", "retention_days": 7"#)
            #expect(try self.issues(contents, environment: environment).map(\.description) == [reason])
            let path = try directory.write("\(value).json", Array(contents.utf8))
            let error = #expect(throws: ConfigurationError.self) {
                try ConfigurationLoader.storeConfiguration(configPath: path, environment: environment)
            }
            #expect(error?.issues.map(\.description) == [reason])
        }
    }

    /// `store.postgres` resolves to the PostgreSQL store with its password read from `password_env` or
    /// `password_file`; `HOOKGATE_DATABASE_URL` selects PostgreSQL whatever the file says; no message shows a
    /// password.
    @Test func thePostgresBackendIsResolvedWithItsPassword() throws {
        func configuration(_ store: String) -> String {
            """
            {"endpoints": [{"name": "a", "path": "/a", "scheme": "stripe", "secrets": [{"label": "k", "env": "A"}]}],
             "store": {\(store)}}
            """
        }
        let environment = ["A": "whsec_a", "HOOKGATE_DATA_DIR": "/srv/hg", "DB_PASSWORD": "hunter2"]
        let fromEnvironment = try self.load(
            configuration(
                #""backend": "postgres", "postgres": {"url": "postgres://hg@db:5433/hg", "password_env": "DB_PASSWORD", "pool_size": 4}"#
            ),
            environment: environment
        )
        #expect(
            fromEnvironment.store
                == DeliveryStoreConfiguration(
                    backend: .postgres,
                    location: "postgres://hg@db:5433/hg",
                    password: "hunter2",
                    poolSize: 4
                )
        )
        #expect(!"\(fromEnvironment.store)".contains("hunter2"))

        let directory = try TemporaryDirectory()
        let passwordFile = try directory.write("password", Array("s3cret\n".utf8))
        let fromFile = try self.load(
            configuration(
                #""backend": "postgres", "postgres": {"url": "postgres://hg@db/hg", "password_file": "\#(passwordFile)"}"#
            ),
            environment: environment
        )
        #expect(fromFile.store.password == "s3cret")

        let unset = try self.issues(
            configuration(
                #""backend": "postgres", "postgres": {"url": "postgres://hg@db/hg", "password_env": "NOPE"}"#
            ),
            environment: environment
        )
        #expect(unset.map(\.description) == ["$.store.postgres.password_env: environment variable NOPE is not set"])

        var overridden = environment
        overridden["HOOKGATE_DATABASE_URL"] = "postgresql://hg:pw@10.0.0.5/hg"
        let selected = try self.load(configuration(#""path": "/srv/hg/other.sqlite""#), environment: overridden)
        #expect(selected.store.backend == .postgres)
        #expect(selected.store.location == "postgresql://hg:pw@10.0.0.5/hg")
        #expect(!"\(selected.store)".contains("pw@"))
        overridden["HOOKGATE_DATABASE_URL"] = "mysql://hg@db/hg"
        #expect(
            try self.issues(configuration(""), environment: overridden).map(\.description) == [
                "HOOKGATE_DATABASE_URL: must be a postgres:// or postgresql:// URL"
            ]
        )
    }
}
