import HookgateCore
import Testing

/// Strict decoding of the configuration file: defaults, every key, and errors that name their JSON path.
struct ConfigurationDecodingTests {
    static let minimalEndpoint = """
        {"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe",
         "secrets": [{"label": "current", "env": "STRIPE_WEBHOOK_SECRET"}]}
        """

    static func document(_ members: String = "", endpoint: String = minimalEndpoint) -> String {
        "{\"endpoints\": [\(endpoint)]\(members.isEmpty ? "" : ", " + members)}"
    }

    func decode(_ text: String) throws -> HookgateConfiguration {
        try HookgateConfiguration.decode(Array(text.utf8))
    }

    /// The issues of a document that must not decode.
    func issues(_ text: String) -> [ConfigurationIssue] {
        do {
            _ = try HookgateConfiguration.decode(Array(text.utf8))
            Issue.record("decoded: \(text)")
            return []
        } catch {
            return error.issues
        }
    }

    func issueLines(_ text: String) -> [String] { self.issues(text).map(\.description) }

    @Test func minimalFileGetsEveryDefault() throws {
        let configuration = try self.decode(Self.document())
        #expect(configuration.mode == .development)
        #expect(configuration.listen == [ListenAddress(host: "127.0.0.1", port: 8443)])
        #expect(configuration.tls == nil)
        #expect(configuration.effectiveTLS == HookgateConfiguration.developmentTLSFiles)
        #expect(configuration.store == StoreConfiguration(path: nil, retentionDays: 30))
        #expect(configuration.limits == GatewayLimits())
        #expect(configuration.admin == .unixSocket(path: nil, mode: 0o600))
        #expect(configuration.logging == LoggingSettings(format: .text, level: .info))
        let endpoint = try #require(configuration.endpoints.first)
        #expect(endpoint.name == "stripe")
        #expect(endpoint.path == "/webhooks/stripe")
        #expect(endpoint.scheme == "stripe")
        #expect(
            endpoint.secrets == [SecretConfiguration(label: "current", source: .environment("STRIPE_WEBHOOK_SECRET"))]
        )
        #expect(endpoint.tolerance == .standard)
        #expect(endpoint.expectedMode == .any)
        #expect(endpoint.allowedSources.isEmpty)
        #expect(endpoint.maximumBodyBytes == nil)
        try configuration.validate()
    }

    @Test func everyKey() throws {
        let configuration = try self.decode(
            """
            {
              "mode": "production",
              "listen": ["0.0.0.0:443", "[::]:8443", "gateway.internal:0"],
              "tls": {"certificate": "/etc/hookgate/cert.pem", "private_key": "/etc/hookgate/key.pem"},
              "endpoints": [{
                "name": "stripe-live", "path": "/webhooks/stripe", "scheme": "stripe",
                "secrets": [
                  {"label": "current", "env": "STRIPE_WEBHOOK_SECRET"},
                  {"label": "previous", "file": "/run/secrets/old", "expires_at": "2026-12-01T00:00:00Z"}
                ],
                "tolerance": {"past_seconds": 600, "future_seconds": 60},
                "mode": "live",
                "allowed_sources": ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"],
                "max_body_bytes": 262144
              }, {
                "name": "other", "path": "/webhooks/other", "scheme": "standard-webhooks",
                "secrets": [{"label": "only", "env": "OTHER_SECRET"}],
                "tolerance": {"disabled": true}
              }],
              "store": {"path": "/var/lib/hookgate/hookgate.sqlite", "retention_days": 14},
              "limits": {"max_connections": 100, "max_header_bytes": 8192, "max_body_bytes": 524288,
                         "max_decompressed_bytes": 2097152, "max_decompression_ratio": 20,
                         "rejected_log_lines_per_second": 5,
                         "header_read_timeout_ms": 5000, "body_read_timeout_ms": 15000, "idle_timeout_ms": 60000,
                         "shutdown_grace_period_ms": 20000},
              "admin": {"listen": "127.0.0.1:9090"},
              "logging": {"format": "json", "level": "debug"}
            }
            """
        )
        #expect(configuration.mode == .production)
        #expect(
            configuration.listen == [
                ListenAddress(host: "0.0.0.0", port: 443), ListenAddress(host: "::", port: 8443),
                ListenAddress(host: "gateway.internal", port: 0),
            ]
        )
        #expect(configuration.tls?.privateKeyPath == "/etc/hookgate/key.pem")
        let live = configuration.endpoints[0]
        #expect(
            live.secrets[1]
                == SecretConfiguration(label: "previous", source: .file("/run/secrets/old"), expiresAt: 1_796_083_200)
        )
        #expect(live.tolerance == TimestampTolerance(past: 600, future: 60))
        #expect(live.expectedMode == .live)
        #expect(
            live.allowedSources.map(\.description) == ["203.0.113.0/24", "2001:db8:0:0:0:0:0:0/32", "198.51.100.7/32"]
        )
        #expect(live.maximumBodyBytes == 262_144)
        #expect(configuration.endpoints[1].tolerance == .disabled)
        #expect(configuration.endpoints[1].scheme == "standard-webhooks")
        #expect(configuration.store == StoreConfiguration(path: "/var/lib/hookgate/hookgate.sqlite", retentionDays: 14))
        var limits = GatewayLimits()
        limits.maximumConnections = 100
        limits.maximumHeaderBytes = 8_192
        limits.maximumBodyBytes = 524_288
        limits.maximumDecompressedBytes = 2_097_152
        limits.maximumDecompressionRatio = 20
        limits.rejectedRequestLogLinesPerSecond = 5
        limits.headerReadTimeout = .seconds(5)
        limits.bodyReadTimeout = .seconds(15)
        limits.idleTimeout = .seconds(60)
        limits.shutdownGracePeriod = .seconds(20)
        #expect(configuration.limits == limits)
        #expect(configuration.admin == .tcp(ListenAddress(host: "127.0.0.1", port: 9090), allowNonLoopback: false))
        #expect(configuration.logging == LoggingSettings(format: .json, level: .debug))
        try configuration.validate()
    }

    @Test func unknownKeysAreNamedByPath() {
        let lines = self.issueLines(
            Self.document(
                "\"listn\": [], \"limits\": {\"max_body\": 1}, \"admin\": {\"sockets\": \"x\"}",
                endpoint: """
                    {"name": "s", "path": "/s", "scheme": "stripe", "tolerence": {},
                     "secrets": [{"label": "a", "env": "A", "expiry": "2026-01-01T00:00:00Z"}]}
                    """
            )
        )
        #expect(lines.count == 5)
        #expect(
            lines.contains {
                $0.hasPrefix("$.listn: unknown key (did you mean \"listen\"? expected one of: mode, listen,")
            }
        )
        #expect(lines.contains { $0.hasPrefix("$.endpoints[0].tolerence: unknown key (did you mean \"tolerance\"?") })
        #expect(
            lines.contains {
                $0.hasPrefix("$.endpoints[0].secrets[0].expiry: unknown key (expected one of: label, expires_at,")
            }
        )
        #expect(lines.contains { $0.hasPrefix("$.limits.max_body: unknown key") })
        #expect(lines.contains { $0.hasPrefix("$.admin.sockets: unknown key (did you mean \"socket\"?") })
        #expect(self.issues(Self.document("\"listn\": []")).first?.code == .unknownKey)
    }

    /// Every problem is reported, each with its path and reason, not just the first one.
    @Test func collectsEveryError() {
        let lines = self.issueLines(
            """
            {
              "mode": "staging",
              "listen": ["127.0.0.1:99999", "localhost"],
              "endpoints": [{
                "name": "bad name", "path": "webhooks", "scheme": "paypal",
                "secrets": [
                  {"label": "a", "env": "1BAD"},
                  {"label": "b", "file": "/x", "expires_at": "2026-13-01T00:00:00Z"},
                  {"label": "c", "env": "C", "value": "whsec_x"},
                  {"label": "d"}
                ],
                "tolerance": {"past_seconds": -1},
                "mode": "sandbox",
                "allowed_sources": ["10.0.0.0/33"],
                "max_body_bytes": 0
              }],
              "store": {"retention_days": "30"},
              "limits": {"max_connections": 0, "idle_timeout_ms": 1.5},
              "logging": {"format": "xml", "level": "verbose"}
            }
            """
        )
        let expected = [
            "$.mode: must be one of \"development\", \"production\"",
            "$.listen[0]: \(ListenAddress.expectedForm)",
            "$.listen[1]: \(ListenAddress.expectedForm)",
            "$.endpoints[0].name: expected 1 to 64 letters, digits, '.', '_' or '-'",
            "$.endpoints[0].path: expected a path starting with '/', of printable ASCII without spaces, '?' or '#'",
            "$.endpoints[0].scheme: unknown scheme (known: stripe, standard-webhooks)",
            "$.endpoints[0].secrets[0].env: expected an environment variable name (letters, digits, '_', not starting with a digit)",
            "$.endpoints[0].secrets[1].expires_at: not an RFC 3339 time, e.g. 2026-12-01T00:00:00Z",
            "$.endpoints[0].secrets[2]: needs exactly one source of \"env\", \"value\", found 2",
            "$.endpoints[0].secrets[3]: needs exactly one source of \"env\", \"file\", \"value\", found 0",
            "$.endpoints[0].tolerance.past_seconds: must be an integer from 0 to 86400",
            "$.endpoints[0].mode: must be one of \"live\", \"test\", \"any\"",
            "$.endpoints[0].allowed_sources[0]: expected an IPv4 or IPv6 address or CIDR range, e.g. 203.0.113.0/24",
            "$.endpoints[0].max_body_bytes: must be an integer from 1 to 67108864",
            "$.store.retention_days: expected an integer, found a string",
            "$.limits.max_connections: must be an integer from 1 to 1000000",
            "$.limits.idle_timeout_ms: expected an integer, found a number with a fraction or exponent",
            "$.logging.format: must be one of \"text\", \"json\"",
            "$.logging.level: must be one of \"trace\", \"debug\", \"info\", \"notice\", \"warning\", \"error\", \"critical\"",
        ]
        #expect(Set(lines) == Set(expected), "\(lines)")
        #expect(lines.count == expected.count)
    }

    @Test func wrongTypes() {
        let issues = self.issues(
            """
            {"mode": 1, "listen": "127.0.0.1:8443", "tls": [], "endpoints": {}, "store": {"path": 5},
             "admin": {"disabled": "yes"}, "logging": null}
            """
        )
        #expect(issues.allSatisfy { $0.code == .wrongType })
        #expect(
            issues.map(\.description) == [
                "$.mode: expected a string, found a number", "$.listen: expected an array, found a string",
                "$.tls: expected an object, found an array", "$.endpoints: expected an array, found an object",
                "$.store.path: expected a string, found a number",
                "$.admin.disabled: expected true or false, found a string",
                "$.logging: expected an object, found null",
            ]
        )
        #expect(self.issueLines("[]") == ["$: expected an object, found an array"])
    }

    @Test func missingKeys() {
        let lines = self.issueLines("{\"endpoints\": [{\"secrets\": [{\"env\": \"X\"}]}], \"tls\": {}}")
        #expect(
            Set(lines) == [
                "$.tls.certificate: required key is missing", "$.tls.private_key: required key is missing",
                "$.endpoints[0].name: required key is missing", "$.endpoints[0].path: required key is missing",
                "$.endpoints[0].scheme: required key is missing",
                "$.endpoints[0].secrets[0].label: required key is missing",
            ]
        )
        #expect(self.issueLines("{}") == ["$.endpoints: required key is missing"])
    }

    @Test func invalidJSONNamesLineAndColumn() {
        let issues = self.issues("{\n  \"mode\": \"development\",\n}")
        #expect(issues.map(\.code) == [.invalidJSON])
        #expect(issues.first?.description == "$: line 3, column 1: expected a string key, found '}'")
        #expect(self.issues("{\"mode\": \"development\", \"mode\": \"production\"}").first?.code == .invalidJSON)
    }

    /// A literal secret is never quoted in any error, whatever is wrong around it.
    @Test func literalSecretsNeverAppearInErrors() {
        let marker = "whsec_NEVERPRINTED_42"
        let documents = [
            Self.document(
                endpoint:
                    "{\"name\": \"s\", \"path\": \"/s\", \"scheme\": \"x\", \"secrets\": [{\"label\": \"a\", \"value\": \"\(marker)\", \"env\": \"E\"}]}"
            ),
            Self.document(
                endpoint:
                    "{\"name\": \"s\", \"path\": \"/s\", \"scheme\": \"stripe\", \"secrets\": [{\"label\": 1, \"value\": \"\(marker)\", \"\(marker.dropFirst(6))x\": 1}]}"
            ),
            Self.document(
                endpoint:
                    "{\"name\": \"s\", \"path\": \"/s\", \"scheme\": \"stripe\", \"secrets\": [{\"label\": \"a\", \"value\": \"\(marker)\\u\"}]}"
            ),
        ]
        for document in documents {
            let text = self.issueLines(document).joined(separator: "\n")
            #expect(!text.contains("whsec_NEVERPRINTED"), "\(text)")
        }
    }

    @Test func adminVariants() throws {
        func admin(_ json: String) throws -> AdminConfiguration {
            try self.decode(Self.document("\"admin\": \(json)")).admin
        }
        #expect(try admin("{}") == .unixSocket(path: nil, mode: 0o600))
        #expect(
            try admin("{\"socket\": \"/run/hg.sock\", \"socket_mode\": \"0660\"}")
                == .unixSocket(path: "/run/hg.sock", mode: 0o660)
        )
        #expect(try admin("{\"socket_mode\": \"600\"}") == .unixSocket(path: nil, mode: 0o600))
        #expect(try admin("{\"disabled\": true}") == .disabled)
        #expect(try admin("{\"disabled\": false}") == .standard)
        #expect(
            try admin("{\"listen\": \"10.0.0.5:9090\", \"allow_non_loopback\": true}")
                == .tcp(ListenAddress(host: "10.0.0.5", port: 9090), allowNonLoopback: true)
        )
        #expect(
            Set(
                self.issueLines(
                    Self.document("\"admin\": {\"disabled\": true, \"socket\": \"/x\", \"listen\": \"127.0.0.1:1\"}")
                )
            )
                == [
                    "$.admin.socket: not allowed with \"disabled\": true",
                    "$.admin.listen: not allowed with \"disabled\": true",
                ]
        )
        #expect(
            self.issueLines(Self.document("\"admin\": {\"listen\": \"127.0.0.1:1\", \"socket_mode\": \"0600\"}"))
                == ["$.admin.socket_mode: not allowed with \"listen\" (a TCP admin listener)"]
        )
        #expect(
            self.issueLines(Self.document("\"admin\": {\"allow_non_loopback\": true}"))
                == ["$.admin.allow_non_loopback: only allowed with \"listen\""]
        )
        for mode in ["\"0800\"", "\"1777\"", "\"06\"", "\"rw\"", "\"00600\""] {
            #expect(
                self.issues(Self.document("\"admin\": {\"socket_mode\": \(mode)}")).first?.location
                    == "$.admin.socket_mode"
            )
        }
    }

    @Test func toleranceVariants() {
        let disabledWithSeconds = """
            {"name": "s", "path": "/s", "scheme": "stripe", "secrets": [{"label": "a", "env": "A"}],
             "tolerance": {"disabled": true, "past_seconds": 5}}
            """
        #expect(
            self.issueLines(Self.document(endpoint: disabledWithSeconds))
                == ["$.endpoints[0].tolerance.past_seconds: not allowed with \"disabled\": true"]
        )
    }

    @Test(arguments: [
        ("127.0.0.1:8443", ListenAddress(host: "127.0.0.1", port: 8443)),
        ("[::1]:443", ListenAddress(host: "::1", port: 443)),
        ("localhost:0", ListenAddress(host: "localhost", port: 0)),
        ("0.0.0.0:65535", ListenAddress(host: "0.0.0.0", port: 65_535)),
    ])
    func listenAddresses(_ text: String, _ expected: ListenAddress) {
        #expect(ListenAddress(parsing: text) == expected)
    }

    @Test(arguments: [
        "127.0.0.1", "127.0.0.1:", ":8443", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+80", "::1:443", "[::1]443",
        "[127.0.0.1]:80", "host name:80", "1.2.3:80", "-bad.example:80", "[::1]:", "127.0.0.1:0x10",
    ])
    func rejectsBadListenAddresses(_ text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }

    @Test(
        arguments: [
            ("2026-12-01T00:00:00Z", 1_796_083_200), ("1970-01-01T00:00:00Z", 0),
            ("2024-02-29T12:30:15z", 1_709_209_815),
            ("2026-12-01T01:00:00+01:00", 1_796_083_200), ("2026-11-30T19:00:00.999-05:00", 1_796_083_200),
            ("2026-12-01 00:00:00Z", 1_796_083_200),
        ] as [(String, Int64)]
    )
    func rfc3339Times(_ text: String, _ expected: Int64) {
        #expect(UnixTime.parseRFC3339(text) == expected)
        #expect(UnixTime.parseRFC3339(UnixTime.rfc3339(expected)) == expected)
    }

    @Test(arguments: [
        "2026-12-01", "2026-12-01T00:00:00", "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-12-01T24:00:00Z",
        "2026-12-01T00:00:00.Z", "2026-12-01T00:00:00+0100", "26-12-01T00:00:00Z", "2026-12-01T00:00:00Z ",
        "1800000000",
    ])
    func rejectsBadTimes(_ text: String) {
        #expect(UnixTime.parseRFC3339(text) == nil)
    }

    @Test func pathsQuoteUnusualKeys() {
        #expect(JSONPath.root.description == "$")
        #expect(JSONPath.root.appending("a b").appending(index: 2).appending("c").description == "$[\"a b\"][2].c")
        #expect(
            self.issueLines(Self.document("\"\": 1")) == [
                "$[\"\"]: unknown key (expected one of: \(["mode", "listen", "tls", "endpoints", "store", "limits", "admin", "logging", "upstream", "stripe", "reconcile", "commands"].joined(separator: ", ")))"
            ]
        )
    }
}
