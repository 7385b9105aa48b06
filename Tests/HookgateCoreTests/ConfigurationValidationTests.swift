import HookgateCore
import Testing

/// The cross-field rules of ``HookgateConfiguration/validate()``, each with the path it reports.
struct ConfigurationValidationTests {
    static func endpoint(
        _ name: String = "stripe",
        path: String = "/webhooks/stripe",
        secrets: [SecretConfiguration] = [SecretConfiguration(label: "current", source: .environment("S"))],
        maximumBodyBytes: Int? = nil
    ) -> EndpointConfiguration {
        EndpointConfiguration(
            name: name,
            path: path,
            scheme: "stripe",
            secrets: secrets,
            maximumBodyBytes: maximumBodyBytes
        )
    }

    func lines(_ configuration: HookgateConfiguration) -> [String] {
        configuration.validationIssues().map(\.description)
    }

    @Test func validConfigurationPasses() throws {
        try HookgateConfiguration(endpoints: [Self.endpoint()]).validate()
    }

    @Test func needsListenersAndEndpoints() {
        let configuration = HookgateConfiguration(listen: [], endpoints: [])
        #expect(
            self.lines(configuration) == [
                "$.listen: needs at least one address", "$.endpoints: needs at least one endpoint",
            ]
        )
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test func uniqueListeners() {
        let address = ListenAddress(host: "127.0.0.1", port: 8443)
        #expect(
            self.lines(HookgateConfiguration(listen: [address, address], endpoints: [Self.endpoint()]))
                == ["$.listen[1]: 127.0.0.1:8443 is listed twice"]
        )
    }

    @Test func uniqueEndpointNamesAndPaths() {
        let configuration = HookgateConfiguration(endpoints: [
            Self.endpoint("a", path: "/a"), Self.endpoint("a", path: "/b"), Self.endpoint("c", path: "/a"),
        ])
        let issues = configuration.validationIssues()
        #expect(issues.map(\.code) == [.duplicateValue, .duplicateValue])
        #expect(
            issues.map(\.description) == [
                "$.endpoints[1].name: another endpoint is already named \"a\"",
                "$.endpoints[2].path: another endpoint already serves /a",
            ]
        )
    }

    @Test func secretsNeedOneAndUniqueLabels() {
        let configuration = HookgateConfiguration(endpoints: [
            Self.endpoint("a", path: "/a", secrets: []),
            Self.endpoint(
                "b",
                path: "/b",
                secrets: [
                    SecretConfiguration(label: "x", source: .environment("A")),
                    SecretConfiguration(label: "x", source: .file("/f")),
                ]
            ),
        ])
        #expect(
            self.lines(configuration) == [
                "$.endpoints[0].secrets: needs at least one secret",
                "$.endpoints[1].secrets[1].label: another secret of this endpoint is already labelled \"x\"",
            ]
        )
    }

    @Test func endpointBodyLimitWithinGlobal() {
        var configuration = HookgateConfiguration(endpoints: [Self.endpoint(maximumBodyBytes: 2 << 20)])
        #expect(
            self.lines(configuration) == [
                "$.endpoints[0].max_body_bytes: must not exceed limits.max_body_bytes (1048576)"
            ]
        )
        configuration.limits.maximumBodyBytes = 2 << 20
        #expect(self.lines(configuration).isEmpty)
    }

    @Test func adminTCPOnlyOnLoopbackUnlessAllowed() {
        func lines(_ host: String, allow: Bool = false) -> [String] {
            self.lines(
                HookgateConfiguration(
                    endpoints: [Self.endpoint()],
                    admin: .tcp(ListenAddress(host: host, port: 9090), allowNonLoopback: allow)
                )
            )
        }
        for host in ["127.0.0.1", "127.8.9.10", "::1", "localhost"] { #expect(lines(host).isEmpty, "\(host)") }
        #expect(
            lines("0.0.0.0") == [
                "$.admin.listen: 0.0.0.0 is not a loopback address; set \"allow_non_loopback\": true to expose the admin listener"
            ]
        )
        #expect(lines("10.0.0.1").count == 1)
        #expect(lines("::").count == 1)
        #expect(lines("0.0.0.0", allow: true).isEmpty)
    }

    @Test func adminPortMustDifferFromWebhookListener() {
        let configuration = HookgateConfiguration(
            endpoints: [Self.endpoint()],
            admin: .tcp(ListenAddress(host: "127.0.0.1", port: 8443), allowNonLoopback: false)
        )
        #expect(self.lines(configuration) == ["$.admin.listen: port 8443 is also a webhook listener"])
    }

    /// Production refuses literal secrets and the implicit development certificate.
    @Test func productionRefusals() {
        let secrets = [
            SecretConfiguration(label: "env", source: .environment("S")),
            SecretConfiguration(label: "dev", source: .literal(Secret("whsec_dev"))),
        ]
        var configuration = HookgateConfiguration(endpoints: [Self.endpoint(secrets: secrets)])
        #expect(self.lines(configuration).isEmpty)
        configuration.mode = .production
        let issues = configuration.validationIssues()
        #expect(issues.map(\.code) == [.notAllowedInProduction, .notAllowedInProduction])
        #expect(
            issues.map(\.description) == [
                "$.tls: required in production mode (no development certificate)",
                "$.endpoints[0].secrets[1].value: literal secrets are refused in production mode; use \"env\" or \"file\"",
            ]
        )
        #expect(!issues.description.contains("whsec_dev"))
    }

    /// The redacted rendering decodes back to the same configuration, literal secrets aside.
    @Test func redactedJSONRoundTrips() throws {
        var configuration = HookgateConfiguration(
            mode: .production,
            tls: TLSFiles(certificateChainPath: "/c.pem", privateKeyPath: "/k.pem"),
            endpoints: [
                EndpointConfiguration(
                    name: "stripe",
                    path: "/webhooks/stripe",
                    scheme: "stripe",
                    secrets: [
                        SecretConfiguration(label: "current", source: .environment("S")),
                        SecretConfiguration(label: "old", source: .file("/run/old"), expiresAt: 1_796_083_200),
                    ],
                    tolerance: .disabled,
                    expectedMode: .live,
                    allowedSources: [AddressRange("203.0.113.0/24")!],
                    maximumBodyBytes: 1_000
                )
            ],
            store: StoreConfiguration(path: "/db.sqlite", retentionDays: 7),
            admin: .unixSocket(path: "/run/admin.sock", mode: 0o640),
            logging: LoggingSettings(format: .json, level: .warning)
        )
        configuration.limits.idleTimeout = .milliseconds(1_500)
        let text = configuration.redactedJSON.serialized(indent: 2)
        #expect(try HookgateConfiguration.decode(Array(text.utf8)) == configuration)
        #expect(text.contains("\"expires_at\": \"2026-12-01T00:00:00Z\""))
        #expect(text.contains("\"socket_mode\": \"0640\""))

        let literal = HookgateConfiguration(
            endpoints: [
                Self.endpoint(secrets: [SecretConfiguration(label: "dev", source: .literal(Secret("whsec_MARKER")))])
            ]
        )
        let redacted = literal.redactedJSON.serialized()
        #expect(!redacted.contains("MARKER"))
        #expect(redacted.contains("{\"label\":\"dev\",\"value\":\"<redacted>\"}"))
    }
}
