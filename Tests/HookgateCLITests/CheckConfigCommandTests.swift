import Foundation
import HookgateTestSupport
import Testing

/// `hookgate check-config` run as a child process: exit codes, the effective configuration after environment
/// overrides and defaults, errors with their JSON paths, and secrets that never appear.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct CheckConfigCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shippedConfiguration = repository.appendingPathComponent("Config/hookgate.json").path
    static let exampleConfiguration = repository.appendingPathComponent("Config/hookgate.example.json").path

    /// Every variable the loader reads, emptied (an empty value counts as unset), so the test runner's own
    /// environment cannot change the outcome.
    static let cleanEnvironment = [
        "HOOKGATE_CONFIG": "", "HOOKGATE_LISTEN": "", "HOOKGATE_DATA_DIR": "", "HOOKGATE_ADMIN_SOCKET": "",
        "HOOKGATE_LOG_FORMAT": "", "HOOKGATE_LOG_LEVEL": "", "HOOKGATE_MODE": "", "STRIPE_WEBHOOK_SECRET": "",
    ]

    static func configuration(
        _ secrets: String = #"[{"label": "current", "env": "HG_SECRET"}]"#,
        _ extra: String = ""
    )
        -> String
    {
        """
        {"endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe", "secrets": \(secrets)}]\
        \(extra.isEmpty ? "" : ", " + extra)}
        """
    }

    func checkConfig(
        _ arguments: [String],
        environment: [String: String] = [:]
    ) throws -> HookgateProcess.Result {
        try HookgateProcess.run(
            ["check-config"] + arguments,
            environment: Self.cleanEnvironment.merging(environment) { $1 }
        )
    }

    func checkConfig(
        contents: String,
        environment: [String: String] = [:]
    ) throws -> HookgateProcess.Result {
        let directory = try TemporaryDirectory()
        let path = try directory.write("hookgate.json", Array(contents.utf8))
        return try self.checkConfig(["--config", path], environment: environment)
    }

    func json(_ result: HookgateProcess.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The shipped `Config/hookgate.json` is valid and gives the documented defaults.
    @Test func shippedConfigurationIsValid() throws {
        let result = try self.checkConfig(["--config", Self.shippedConfiguration])
        #expect(result.status == 0, "\(result.stderr)")
        let effective = try self.json(result)
        #expect(effective["mode"] as? String == "development")
        #expect(effective["listen"] as? [String] == ["127.0.0.1:8443"])
        let tls = effective["tls"] as? [String: String]
        #expect(tls == ["certificate": "certs/dev-cert.pem", "private_key": "certs/dev-key.pem"])
        let endpoint = try #require((effective["endpoints"] as? [[String: Any]])?.first)
        #expect(endpoint["path"] as? String == "/webhooks/stripe")
        #expect(endpoint["scheme"] as? String == "stripe")
        let secrets = endpoint["secrets"] as? [[String: String]]
        #expect(secrets == [["label": "current", "env": "STRIPE_WEBHOOK_SECRET"]])
        #expect((effective["store"] as? [String: Any])?["path"] as? String == "./data/hookgate.sqlite")
        #expect((effective["admin"] as? [String: String]) == ["socket": "./data/admin.sock", "socket_mode": "0600"])
        #expect(
            result.stderr.contains("note: STRIPE_WEBHOOK_SECRET is not set; serve will generate a development secret")
        )
    }

    /// Whether commands to Stripe will be sent: without an API key they wait in the store (said, with the
    /// variable to set); with one, where they go. The key itself is never printed.
    @Test func saysWhereCommandsGo() throws {
        let withoutKey = try self.checkConfig(["--config", Self.shippedConfiguration])
        #expect(withoutKey.status == 0, "\(withoutKey.stderr)")
        #expect(
            withoutKey.stderr.contains(
                "note: no Stripe API key (STRIPE_API_KEY is not set): thin events are forwarded raw, and commands are "
                    + "accepted but wait in the store"
            ),
            "\(withoutKey.stderr)"
        )
        let key = "sk_test_checkConfigNeverPrintsThis"
        let withKey = try self.checkConfig(
            ["--config", Self.shippedConfiguration],
            environment: ["STRIPE_API_KEY": key]
        )
        #expect(withKey.status == 0, "\(withKey.stderr)")
        #expect(
            withKey.stderr.contains(
                "note: Stripe API key from environment variable STRIPE_API_KEY: thin events are normalized through "
                    + "https://api.stripe.com, and commands are sent there"
            ),
            "\(withKey.stderr)"
        )
        #expect(!withKey.output.contains(key))
    }

    /// The example is complete and valid except for the files it names on a production host.
    @Test func exampleConfigurationOnlyLacksItsFiles() throws {
        let result = try self.checkConfig(
            ["--config", Self.exampleConfiguration],
            environment: [
                "STRIPE_WEBHOOK_SECRET": "whsec_example", "BILLING_WEBHOOK_SECRET": "whsec_AAAAAAAA",
                "HOOKGATE_UPSTREAM_SIGNING_SECRET": "whsec_BBBBBBBB",
            ]
        )
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count == 3, "\(result.stderr)")
        #expect(errors.allSatisfy { $0.contains("cannot read") })
        #expect(result.stderr.contains("error: $.endpoints[0].secrets[1].file: "))
        #expect(result.stderr.contains("error: $.tls.certificate: "))
        #expect(result.stderr.contains("error: $.tls.private_key: "))
    }

    @Test func configFlagWinsOverVariable() throws {
        let directory = try TemporaryDirectory()
        let good = try directory.write("good.json", Array(Self.configuration().utf8))
        let bad = try directory.write("bad.json", Array("{}".utf8))
        let fromVariable = try self.checkConfig([], environment: ["HOOKGATE_CONFIG": good])
        #expect(fromVariable.status == 0, "\(fromVariable.stderr)")
        #expect(fromVariable.stderr.contains("valid: \(good)"))
        let flagWins = try self.checkConfig(["--config", bad], environment: ["HOOKGATE_CONFIG": good])
        #expect(flagWins.status == 1)
        #expect(flagWins.stderr.contains("error: $.endpoints: required key is missing"))
    }

    @Test func environmentOverridesAreApplied() throws {
        let result = try self.checkConfig(
            contents: Self.configuration(),
            environment: [
                "HG_SECRET": "whsec_x", "HOOKGATE_LISTEN": "0.0.0.0:9443,[::1]:9444",
                "HOOKGATE_DATA_DIR": "/var/lib/hg/",
                "HOOKGATE_LOG_FORMAT": "json", "HOOKGATE_LOG_LEVEL": "debug", "HOOKGATE_MODE": "development",
            ]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let effective = try self.json(result)
        #expect(effective["listen"] as? [String] == ["0.0.0.0:9443", "[::1]:9444"])
        #expect((effective["store"] as? [String: Any])?["path"] as? String == "/var/lib/hg/hookgate.sqlite")
        #expect((effective["admin"] as? [String: String])?["socket"] == "/var/lib/hg/admin.sock")
        #expect((effective["logging"] as? [String: String]) == ["format": "json", "level": "debug"])
        #expect(!result.stderr.contains("HG_SECRET is not set"))

        let socket = try self.checkConfig(
            contents: Self.configuration(#"[{"label": "a", "env": "HG_SECRET"}]"#, #""admin": {"disabled": true}"#),
            environment: ["HG_SECRET": "whsec_x", "HOOKGATE_ADMIN_SOCKET": "/run/hg/admin.sock"]
        )
        #expect(
            (try self.json(socket)["admin"] as? [String: String]) == [
                "socket": "/run/hg/admin.sock", "socket_mode": "0600",
            ]
        )
    }

    /// Paths the file sets win over the data directory.
    @Test func fileSetPathsWinOverDataDirectory() throws {
        let result = try self.checkConfig(
            contents: Self.configuration(
                #"[{"label": "a", "env": "HG_SECRET"}]"#,
                #""store": {"path": "/db/h.sqlite"}, "admin": {"socket": "/run/a.sock", "socket_mode": "0660"}"#
            ),
            environment: ["HG_SECRET": "whsec_x", "HOOKGATE_DATA_DIR": "/elsewhere"]
        )
        let effective = try self.json(result)
        #expect((effective["store"] as? [String: Any])?["path"] as? String == "/db/h.sqlite")
        #expect((effective["admin"] as? [String: String]) == ["socket": "/run/a.sock", "socket_mode": "0660"])
    }

    @Test func badOverridesExitOne() throws {
        let result = try self.checkConfig(
            contents: Self.configuration(),
            environment: ["HOOKGATE_LISTEN": "8443", "HOOKGATE_LOG_FORMAT": "xml", "HOOKGATE_MODE": "prod"]
        )
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("error: HOOKGATE_LISTEN: expected host:port"))
        #expect(result.stderr.contains("error: HOOKGATE_LOG_FORMAT: must be one of \"text\", \"json\""))
        #expect(result.stderr.contains("error: HOOKGATE_MODE: must be one of \"development\", \"production\""))
    }

    /// Every problem is listed with its JSON path; nothing is printed on standard output.
    @Test func invalidConfigurationListsEveryError() throws {
        let result = try self.checkConfig(
            contents: """
                {"listen": ["127.0.0.1:70000"], "bogus": 1,
                 "endpoints": [{"name": "a", "path": "/a", "scheme": "stripe",
                   "secrets": [{"label": "x", "env": "A", "expires_at": "next week"}]}]}
                """
        )
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").first?.hasSuffix(": 3 problems") == true, "\(result.stderr)")
        #expect(result.stderr.contains("error: $.listen[0]: expected host:port"))
        #expect(result.stderr.contains("error: $.bogus: unknown key"))
        #expect(result.stderr.contains("error: $.endpoints[0].secrets[0].expires_at: not an RFC 3339 time"))
    }

    /// A file that cannot be read is one line naming it and why, exit 1; other problems are counted, in words
    /// that fit the count.
    @Test func missingFileIsOneLineAndProblemsAreCountedInWords() throws {
        let missing = try self.checkConfig(["--config", "/nonexistent/hookgate.json"])
        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(
            missing.stderr == """
                hookgate check-config: cannot read configuration file '/nonexistent/hookgate.json': \
                No such file or directory

                """
        )
        let malformed = try self.checkConfig(contents: "{\"endpoints\": [],}")
        #expect(malformed.status == 1)
        let lines = malformed.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(malformed.stderr)")
        #expect(lines.first?.hasSuffix(": 1 problem") == true, "\(malformed.stderr)")
        #expect(lines.last == "error: $: line 1, column 18: expected a string key, found '}'")
        let two = try self.checkConfig(
            contents: Self.configuration(#"[{"label": "a", "env": "A"}]"#, #""bogus": 1, "other": 2"#)
        )
        #expect(two.status == 1)
        #expect(two.stderr.split(separator: "\n").first?.hasSuffix(": 2 problems") == true, "\(two.stderr)")
    }

    @Test(arguments: [["--bogus"], ["--config"], ["extra-argument"]])
    func usageErrorsExitTwo(_ arguments: [String]) throws {
        let result = try self.checkConfig(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Production mode generates nothing and accepts no literal secret or implicit certificate.
    @Test func productionRefusesFallbacks() throws {
        let result = try self.checkConfig(
            contents: Self.configuration(
                #"[{"label": "a", "env": "HG_UNSET_FOR_TESTS"}, {"label": "b", "value": "whsec_literal"}]"#
            ),
            environment: ["HOOKGATE_MODE": "production"]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: $.tls: required in production mode"))
        #expect(
            result.stderr.contains(
                "error: $.endpoints[0].secrets[1].value: literal secrets are refused in production mode"
            )
        )

        let directory = try TemporaryDirectory()
        let certificate = try directory.write("cert.pem", Array("cert".utf8))
        let key = try directory.write("key.pem", Array("key".utf8))
        let unset = try self.checkConfig(
            contents: Self.configuration(
                #"[{"label": "a", "env": "HG_UNSET_FOR_TESTS"}]"#,
                #""mode": "production", "tls": {"certificate": "\#(certificate)", "private_key": "\#(key)"}"#
            )
        )
        #expect(unset.status == 1)
        #expect(
            unset.stderr.contains(
                "error: $.endpoints[0].secrets[0].env: environment variable HG_UNSET_FOR_TESTS is not set (production mode generates no secrets)"
            )
        )
        let complete = try self.checkConfig(
            contents: Self.configuration(
                #"[{"label": "a", "env": "HG_SECRET"}]"#,
                #""mode": "production", "tls": {"certificate": "\#(certificate)", "private_key": "\#(key)"}"#
            ),
            environment: ["HG_SECRET": "whsec_production"]
        )
        #expect(complete.status == 0, "\(complete.stderr)")
        #expect(complete.stderr.contains("valid: ") && complete.stderr.contains("(production mode)"))
    }

    /// The store's own rule: retention of at least three days.
    @Test func retentionUsesTheStoreRule() throws {
        let result = try self.checkConfig(
            contents: Self.configuration(#"[{"label": "a", "env": "HG_SECRET"}]"#, #""store": {"retention_days": 2}"#),
            environment: ["HG_SECRET": "whsec_x"]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: $.store.retention_days: retention window must be at least 3 days"))
    }

    @Test func secretsMustSuitTheScheme() throws {
        let result = try self.checkConfig(
            contents: """
                {"endpoints": [{"name": "sw", "path": "/sw", "scheme": "standard-webhooks",
                  "secrets": [{"label": "a", "env": "HG_SECRET"}]}]}
                """,
            environment: ["HG_SECRET": "whsec_not*base64"]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: $.endpoints[0].secrets[0]: not usable with scheme standard-webhooks"))
    }

    /// One final line ending of a secret file is dropped; other surrounding whitespace is an error.
    @Test func secretFiles() throws {
        let directory = try TemporaryDirectory()
        let good = try directory.write("good", Array("whsec_file\r\n".utf8))
        let padded = try directory.write("padded", Array("whsec_file\n\n".utf8))
        let empty = try directory.write("empty", Array("\n".utf8))
        let goodResult = try self.checkConfig(
            contents: Self.configuration("[{\"label\": \"a\", \"file\": \"\(good)\"}]")
        )
        #expect(goodResult.status == 0, "\(goodResult.stderr)")
        let paddedResult = try self.checkConfig(
            contents: Self.configuration("[{\"label\": \"a\", \"file\": \"\(padded)\"}]")
        )
        #expect(
            paddedResult.stderr.contains(
                "error: $.endpoints[0].secrets[0].file: the secret has leading or trailing whitespace"
            )
        )
        let emptyResult = try self.checkConfig(
            contents: Self.configuration("[{\"label\": \"a\", \"file\": \"\(empty)\"}]")
        )
        #expect(emptyResult.stderr.contains("error: $.endpoints[0].secrets[0].file: secret file '\(empty)' is empty"))
    }

    /// Development mode only notes a missing certificate (serve generates one); production refuses it.
    @Test func missingDevelopmentCertificateIsANote() throws {
        let tls = #""tls": {"certificate": "/nonexistent/cert.pem", "private_key": "/nonexistent/key.pem"}"#
        let result = try self.checkConfig(
            contents: Self.configuration(#"[{"label": "a", "env": "HG_SECRET"}]"#, tls),
            environment: ["HG_SECRET": "whsec_x"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("note: /nonexistent/cert.pem or /nonexistent/key.pem is missing"))
        let production = try self.checkConfig(
            contents: Self.configuration(#"[{"label": "a", "env": "HG_SECRET"}]"#, tls),
            environment: ["HG_SECRET": "whsec_x", "HOOKGATE_MODE": "production"]
        )
        #expect(production.status == 1)
        #expect(production.stderr.contains("error: $.tls.certificate: cannot read '/nonexistent/cert.pem'"))
    }

    /// `-` is a file name, never standard input.
    @Test func dashIsAFileName() throws {
        let result = try self.checkConfig(contents: Self.configuration(#"[{"label": "a", "file": "-"}]"#))
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: $.endpoints[0].secrets[0].file: cannot read secret file './-'"))
        let configuration = try self.checkConfig(["--config", "-"])
        #expect(configuration.stderr.contains("cannot read configuration file './-'"))
    }

    /// `check-config` compares expiries with the wall clock, so the expired secret expired a day before it.
    @Test func expiredSecretsAreWarnedAbout() throws {
        let expired = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400))
        let result = try self.checkConfig(
            contents: Self.configuration(
                #"[{"label": "current", "env": "HG_SECRET"}, {"label": "old", "value": "whsec_old", "expires_at": "\#(expired)"}]"#
            ),
            environment: ["HG_SECRET": "whsec_x"]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "warning: secret \"old\" of endpoint \"stripe\" expired at \(expired) and no longer verifies"
            ),
            "\(result.stderr)"
        )
        let secrets = (try self.json(result)["endpoints"] as? [[String: Any]])?.first?["secrets"] as? [[String: String]]
        #expect(secrets?.last == ["label": "old", "value": "<redacted>", "expires_at": expired])
    }

    /// A marker secret given through the environment, a file and a literal never appears on either stream,
    /// whether the configuration is valid or not.
    @Test func secretsNeverAppearInOutput() throws {
        let marker = "whsec_NEVERPRINTED_c0ffee"
        let directory = try TemporaryDirectory()
        let file = try directory.write("secret", Array("\(marker)\n".utf8))
        let paddedFile = try directory.write("padded", Array(" \(marker)\n".utf8))
        let all = """
            [{"label": "env", "env": "HG_MARKER"}, {"label": "file", "file": "\(file)"},
             {"label": "literal", "value": "\(marker)"}]
            """
        let runs: [(String, [String: String])] = [
            (Self.configuration(all), ["HG_MARKER": marker]),
            (Self.configuration(all), ["HG_MARKER": " \(marker)", "HOOKGATE_MODE": "production"]),
            (Self.configuration("[{\"label\": \"f\", \"file\": \"\(paddedFile)\"}]"), [:]),
            (Self.configuration("[{\"label\": \"l\", \"value\": \" \(marker)\"}]"), [:]),
            (
                Self.configuration("[{\"label\": \"l\", \"value\": \"\(marker)\", \"env\": \"HG_MARKER\"}]"),
                ["HG_MARKER": marker]
            ),
            (Self.configuration("[{\"label\": \"l\", \"value\": \"\(marker)\\q\"}]"), [:]),
            (Self.configuration("[{\"label\": \"l\", \"value\": \"\(marker)\"}]", "\"mode\": \"production\""), [:]),
            (
                "{\"endpoints\": [{\"name\": \"s\", \"path\": \"/s\", \"scheme\": \"standard-webhooks\", \"secrets\": [{\"label\": \"l\", \"env\": \"HG_MARKER\"}]}]}",
                ["HG_MARKER": marker]
            ),
        ]
        for (contents, environment) in runs {
            let result = try self.checkConfig(contents: contents, environment: environment)
            #expect(!result.output.contains("NEVERPRINTED"), "\(contents)")
        }
        let valid = try self.checkConfig(contents: runs[0].0, environment: runs[0].1)
        #expect(valid.status == 0, "\(valid.stderr)")
    }

    /// With the PostgreSQL store, check-config connects: a database it cannot reach is a warning (the
    /// configuration is still valid, exit 0), one it reaches a note; the password shows nowhere.
    @Test func postgresDatabaseIsCheckedWithoutShowingThePassword() throws {
        let config = Self.configuration()
        let unreachable = try self.checkConfig(
            contents: config,
            environment: [
                "HG_SECRET": "whsec_x", "HOOKGATE_DATABASE_URL": "postgres://hg:pw-never-shown@127.0.0.1:1/hg",
            ]
        )
        #expect(unreachable.status == 0, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("warning: PostgreSQL postgres://hg@127.0.0.1:1/hg: cannot be used now"))
        #expect(!unreachable.output.contains("pw-never-shown"))

        guard let server = ProcessInfo.processInfo.environment["HOOKGATE_TEST_POSTGRES_URL"], !server.isEmpty else {
            Issue.record("HOOKGATE_TEST_POSTGRES_URL is not set: run the tests under .ci/postgres-cluster run --")
            return
        }
        let reachable = try self.checkConfig(
            contents: config,
            environment: ["HG_SECRET": "whsec_x", "HOOKGATE_DATABASE_URL": server]
        )
        #expect(reachable.status == 0, "\(reachable.stderr)")
        #expect(reachable.stderr.contains("note: PostgreSQL "), "\(reachable.stderr)")
        #expect(reachable.stderr.contains(": reachable"), "\(reachable.stderr)")
    }
}
