import HookgateCore
import Testing

/// `store.postgres`: decoding, the rules checked across fields, and a password never shown.
struct PostgresStoreConfigurationTests {
    static func decode(_ store: String) throws(ConfigurationError) -> HookgateConfiguration {
        try HookgateConfiguration.decode(Array(ConfigurationDecodingTests.document("\"store\": \(store)").utf8))
    }

    @Test func everyKeyDecodes() throws {
        let configuration = try Self.decode(
            """
            {"backend": "postgres", "postgres": {"url": "postgres://hookgate@db.internal:5433/hookgate?sslmode=require",
             "password_env": "HOOKGATE_DB_PASSWORD", "pool_size": 4}}
            """
        )
        #expect(configuration.store.backend == .postgres)
        #expect(
            configuration.store.postgres
                == PostgresStoreConfiguration(
                    url: "postgres://hookgate@db.internal:5433/hookgate?sslmode=require",
                    passwordEnvironmentVariable: "HOOKGATE_DB_PASSWORD",
                    poolSize: 4
                )
        )
        #expect(configuration.validationIssues().isEmpty)
    }

    @Test func theDefaultsAreSQLiteAndAPoolOfTen() throws {
        let configuration = try Self.decode("{}")
        #expect(configuration.store.backend == .sqlite)
        #expect(configuration.store.postgres.poolSize == 10)
        #expect(configuration.store.postgres.url == nil)
    }

    @Test func unknownKeysAndBadValuesNameTheirPath() {
        let issues: [String]
        do {
            _ = try Self.decode(#"{"postgres": {"uri": "postgres://x@y/z", "pool_size": 2}}"#)
            issues = []
        } catch {
            issues = error.issues.map(\.description)
        }
        #expect(issues.contains { $0.hasPrefix("$.store.postgres.uri: unknown key") && $0.contains("url") })
        #expect(issues.contains { $0.hasPrefix("$.store.postgres.pool_size:") })
    }

    @Test func thePostgresBackendNeedsAURL() throws {
        let configuration = try Self.decode(#"{"backend": "postgres"}"#)
        #expect(
            configuration.validationIssues().map(\.description) == [
                "$.store.postgres.url: required when store.backend is \"postgres\" (or set HOOKGATE_DATABASE_URL)"
            ]
        )
    }

    @Test func aURLOfAnotherSchemeIsRefused() throws {
        let configuration = try Self.decode(#"{"backend": "postgres", "postgres": {"url": "mysql://a@b/c"}}"#)
        #expect(
            configuration.validationIssues().map(\.description) == [
                "$.store.postgres.url: must look like postgres://user@host:port/database"
            ]
        )
    }

    @Test func onePasswordSourceOnly() throws {
        let configuration = try Self.decode(
            #"{"postgres": {"url": "postgres://a@b/c", "password_env": "P", "password_file": "/run/p"}}"#
        )
        #expect(
            configuration.validationIssues().map(\.description) == [
                "$.store.postgres.password_file: give the password by password_env or password_file, not both"
            ]
        )
    }

    /// Production mode refuses a password written in the file, but not one in `HOOKGATE_DATABASE_URL`.
    @Test func productionRefusesAPasswordInTheFile() throws {
        var configuration = try Self.decode(
            #"{"backend": "postgres", "postgres": {"url": "postgres://hookgate:hunter2@db/hookgate"}}"#
        )
        #expect(configuration.validationIssues().isEmpty, "development mode allows it")
        configuration.mode = .production
        configuration.tls = TLSFiles(certificateChainPath: "/c.pem", privateKeyPath: "/k.pem")
        let lines = configuration.validationIssues().map(\.description)
        #expect(
            lines == [
                "$.store.postgres.url: holds a password, refused in production mode: use password_env or password_file"
            ]
        )
        #expect(!lines.joined().contains("hunter2"))
        configuration.store.postgres.urlIsFromEnvironment = true
        #expect(configuration.validationIssues().isEmpty)
    }

    @Test func checkConfigShowsTheURLWithoutItsPassword() throws {
        let configuration = try Self.decode(
            #"{"backend": "postgres", "postgres": {"url": "postgres://hookgate:hunter2@db:5432/hookgate"}}"#
        )
        let json = configuration.redactedJSON.serialized()
        #expect(!json.contains("hunter2"))
        #expect(json.contains(#""url":"postgres://hookgate:<redacted>@db:5432/hookgate""#), "\(json)")
        #expect(json.contains(#""pool_size":10"#), "\(json)")
    }

    @Test func redactingLeavesAURLWithoutPasswordAlone() {
        #expect(PostgresStoreConfiguration.redacting("postgres://a@b:1/c") == "postgres://a@b:1/c")
        #expect(
            PostgresStoreConfiguration.redacting("postgres://a:s3:cr@t@b/c?x=@") == "postgres://a:<redacted>@b/c?x=@"
        )
    }
}
