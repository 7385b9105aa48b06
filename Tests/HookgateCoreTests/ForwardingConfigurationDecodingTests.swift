import HookgateCore
import Testing

/// Decoding of the endpoint forwarding keys and the `upstream` section.
struct ForwardingConfigurationDecodingTests {
    private static let secrets = #""secrets": [{"label": "current", "env": "STRIPE_WEBHOOK_SECRET"}]"#

    private func decode(endpoint extra: String = "", _ members: String = "") throws -> HookgateConfiguration {
        let endpoint = #"{"name": "s", "path": "/s", "scheme": "stripe", \#(Self.secrets)\#(extra)}"#
        let text = "{\"endpoints\": [\(endpoint)]\(members.isEmpty ? "" : ", " + members)}"
        return try HookgateConfiguration.decode(Array(text.utf8))
    }

    private func issueLines(endpoint extra: String = "", _ members: String = "") -> [String] {
        do {
            _ = try self.decode(endpoint: extra, members)
            Issue.record("decoded")
            return []
        } catch {
            return (error as? ConfigurationError)?.issues.map(\.description) ?? ["\(error)"]
        }
    }

    @Test func defaults() throws {
        let configuration = try self.decode()
        let endpoint = configuration.endpoints[0]
        #expect(endpoint.forwardMode == .normalized)
        #expect(!endpoint.forwardUnmapped)
        #expect(endpoint.orderIdMetadataKey == "order_id")
        #expect(endpoint.mappingOverrides.isEmpty)
        #expect(endpoint.normalizationOptions == NormalizationOptions())
        #expect(configuration.upstream == UpstreamConfiguration())
        #expect(configuration.upstream.socket == nil)
        #expect(configuration.upstream.requestPath == "/events")
        #expect(configuration.upstream.maximumInFlight == 16)
        #expect(configuration.upstream.timeout == .seconds(10))
        #expect(configuration.upstream.retry == UpstreamRetryPolicy())
        #expect(configuration.upstream.retry.base == .seconds(1))
        #expect(configuration.upstream.retry.cap == .seconds(600))
        #expect(configuration.upstream.retry.maximumAttempts == 0)
        #expect(configuration.upstream.retry.maximumAge == .seconds(259_200))
    }

    @Test func everyKey() throws {
        let configuration = try self.decode(
            endpoint: """
                , "forward": "raw", "forward_unmapped": true, "order_id_metadata_key": "shop_order",
                "mapping": {"charge.captured": "payment-succeeded", "charge.refunded": "skip"}
                """,
            """
            "upstream": {"socket": "/run/pay.sock", "path": "/v1/events", "max_in_flight": 4, "timeout_ms": 2500,
              "retry": {"base_ms": 500, "cap_seconds": 60, "max_attempts": 12, "max_age_seconds": 3600},
              "signing_secret": {"label": "upstream", "env": "UPSTREAM_SECRET"}}
            """
        )
        let endpoint = configuration.endpoints[0]
        #expect(endpoint.forwardMode == .raw)
        #expect(endpoint.forwardUnmapped)
        #expect(endpoint.orderIdMetadataKey == "shop_order")
        #expect(
            endpoint.mappingOverrides == ["charge.captured": .catalog(.paymentSucceeded), "charge.refunded": .skip]
        )
        let mapping = endpoint.normalizationOptions.mapping
        #expect(mapping.target(forStripeType: "charge.captured") == .catalog(.paymentSucceeded))
        #expect(mapping.target(forStripeType: "charge.refunded") == .skip)
        #expect(mapping.target(forStripeType: "refund.updated") == .catalog(.refundProcessed))
        #expect(
            configuration.upstream
                == UpstreamConfiguration(
                    socket: "/run/pay.sock",
                    requestPath: "/v1/events",
                    maximumInFlight: 4,
                    timeout: .milliseconds(2_500),
                    retry: UpstreamRetryPolicy(
                        base: .milliseconds(500),
                        cap: .seconds(60),
                        maximumAttempts: 12,
                        maximumAge: .seconds(3_600)
                    ),
                    signingSecret: SecretConfiguration(label: "upstream", source: .environment("UPSTREAM_SECRET"))
                )
        )
    }

    @Test func badEndpointValuesNameTheirPath() {
        let lines = self.issueLines(
            endpoint: """
                , "forward": "proxy", "forward_unmapped": "yes", "order_id_metadata_key": "",
                "mapping": {"charge.captured": "payment-captured", "Charge": "skip", "refund.created": 3}
                """
        )
        #expect(
            lines == [
                #"$.endpoints[0].forward: must be one of "normalized", "raw""#,
                "$.endpoints[0].forward_unmapped: expected true or false, found a string",
                "$.endpoints[0].order_id_metadata_key: must not be empty",
                #"$.endpoints[0].mapping["charge.captured"]: unknown catalog type (expected one of "payment-succeeded", "payment-failed", "refund-processed", "skip")"#,
                "$.endpoints[0].mapping.Charge: not a Stripe event type, e.g. charge.captured",
                #"$.endpoints[0].mapping["refund.created"]: expected a string, found a number"#,
            ]
        )
        #expect(
            self.issueLines(endpoint: #", "mapping": []"#) == [
                "$.endpoints[0].mapping: expected an object, found an array"
            ]
        )
    }

    @Test func badUpstreamValuesNameTheirPath() {
        let lines = self.issueLines(
            """
            "upstream": {"socket": "", "path": "events", "max_in_flight": 0, "timeout_ms": -1,
              "retry": {"base_ms": 5000, "cap_seconds": 2, "max_attempts": -1, "max_age_seconds": 0, "jitter": 1},
              "signing_secret": {"env": "X"}, "url": "http://x"}
            """
        )
        #expect(
            lines == [
                "$.upstream.url: unknown key (expected one of: socket, path, max_in_flight, timeout_ms, retry, signing_secret)",
                "$.upstream.socket: expected a file path without NUL characters",
                "$.upstream.path: expected a path starting with '/', of printable ASCII without spaces or '#'",
                "$.upstream.max_in_flight: must be an integer from 1 to 1024",
                "$.upstream.timeout_ms: must be an integer from 1 to 600000",
                "$.upstream.retry.jitter: unknown key (expected one of: base_ms, cap_seconds, max_attempts, max_age_seconds)",
                "$.upstream.retry.max_attempts: must be an integer from 0 to 1000000",
                "$.upstream.retry.max_age_seconds: must be an integer from 1 to 2592000",
                "$.upstream.retry.cap_seconds: must not be shorter than base_ms",
                "$.upstream.signing_secret.label: required key is missing",
            ]
        )
    }

    @Test func effectiveJSONRoundTrips() throws {
        let configuration = try self.decode(
            endpoint: #", "forward": "raw", "mapping": {"charge.captured": "payment-succeeded"}"#,
            #""upstream": {"socket": "/run/pay.sock", "retry": {"max_attempts": 3}}"#
        )
        let printed = configuration.redactedJSON.serialized()
        let again = try HookgateConfiguration.decode(Array(printed.utf8))
        #expect(again.upstream == configuration.upstream)
        #expect(again.endpoints[0].forwardMode == .raw)
        #expect(again.endpoints[0].normalizationOptions == configuration.endpoints[0].normalizationOptions)
    }
}
