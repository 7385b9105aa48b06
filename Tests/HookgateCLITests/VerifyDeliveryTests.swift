import Foundation
import HookgateCore
import HookgateTestSupport
import Testing

/// `hookgate verify --delivery`: a stored delivery re-verified with the keyring its endpoint has now.
@Suite(.onItsOwnThread, .timeLimit(.minutes(2)))
struct VerifyDeliveryTests {
    /// A gateway stores one event; the test waits for it and returns its delivery id and event id.
    func storedDelivery(in scenario: DeliveryScenario) async throws -> (id: String, eventID: String) {
        let sent = try scenario.send(["payment_intent.succeeded"])
        #expect(sent.status == 0, "\(sent.output)")
        let eventID = String(try #require(sent.stdout.firstMatch(of: /"id":"(evt_\w+)"/)).1)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let listed = try HookgateProcess.run(["deliveries", "list", "--json", "--store", scenario.storePath])
            if let line = listed.stdout.split(separator: "\n").first,
                let id = line.firstMatch(of: /"id":(\d+)/)?.1
            {
                return (String(id), eventID)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw GatewayProcessError(message: "the delivery was not stored")
    }

    /// A configuration like the scenario's, with the given secrets for the stripe endpoint.
    func configuration(_ secrets: String, in scenario: DeliveryScenario) throws -> String {
        let text = """
            {"mode": "development", "listen": ["127.0.0.1:0"],
             "endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe", "secrets": [\(secrets)]}]}
            """
        return try scenario.directory.write("rotated-\(UUID().uuidString).json", Array(text.utf8))
    }

    @Test func aStoredDeliveryVerifiesUntilItsKeyIsRotatedOut() async throws {
        let scenario = try DeliveryScenario()
        let (id, eventID) = try await self.storedDelivery(in: scenario)
        let store = ["--store", scenario.storePath]
        let environment = [
            "STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret, "NEXT_SECRET": "whsec_nextKeyAfterRotation01",
        ]

        let valid = try HookgateProcess.run(
            ["verify", "--delivery", id, "--config", scenario.configPath] + store,
            environment: environment
        )
        #expect(valid.status == 0, "\(valid.output)")
        #expect(valid.stdout.contains("valid: the v1 signature matches key \"current\""))
        let byEvent = try HookgateProcess.run(
            ["verify", "--delivery", eventID, "--config", scenario.configPath, "--json"] + store,
            environment: environment
        )
        #expect(byEvent.status == 0)
        #expect(byEvent.stdout.contains("\"key\":\"current\""))

        // Rotation: "current" expired an hour ago, "next" took over.
        let expired = UnixTime.rfc3339(Int64(Date().timeIntervalSince1970) - 3600)
        let rotated = try self.configuration(
            """
            {"label": "current", "env": "STRIPE_WEBHOOK_SECRET", "expires_at": "\(expired)"},
            {"label": "next", "env": "NEXT_SECRET"}
            """,
            in: scenario
        )
        let afterRotation = try HookgateProcess.run(
            ["verify", "--delivery", id, "--config", rotated] + store,
            environment: environment
        )
        #expect(afterRotation.status == 1, "\(afterRotation.output)")
        #expect(afterRotation.output.contains("secret_expired"))
        #expect(afterRotation.output.contains("current"))
        #expect(!afterRotation.output.contains(DeliveryScenario.secret))

        // Rotated out entirely: no key of the endpoint signed it.
        let replaced = try self.configuration(#"{"label": "next", "env": "NEXT_SECRET"}"#, in: scenario)
        let mismatch = try HookgateProcess.run(
            ["verify", "--delivery", id, "--config", replaced] + store,
            environment: environment
        )
        #expect(mismatch.status == 1)
        #expect(mismatch.output.contains("signature_mismatch"))
    }

    @Test func missingDeliveriesSecretsAndConflictingInputsAreReported() async throws {
        let scenario = try DeliveryScenario()
        let (id, _) = try await self.storedDelivery(in: scenario)
        let store = ["--store", scenario.storePath]
        let unknown = try HookgateProcess.run(
            ["verify", "--delivery", "999999", "--secret", DeliveryScenario.secret] + store
        )
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no delivery 999999"))
        let unset = try HookgateProcess.run(["verify", "--delivery", id, "--config", scenario.configPath] + store)
        #expect(unset.status == 2, "\(unset.output)")
        #expect(unset.stderr.contains("STRIPE_WEBHOOK_SECRET is unset"))
        let explicit = try HookgateProcess.run(
            ["verify", "--delivery", id, "--secret-env", "S"] + store,
            environment: ["S": DeliveryScenario.secret]
        )
        #expect(explicit.status == 0, "\(explicit.output)")
        let both = try HookgateProcess.run(["verify", "--delivery", id, "--header", "t=1,v1=00"] + store)
        #expect(both.status == 2)
        let neither = try HookgateProcess.run(["verify", "--secret", "whsec_x"], stdin: Array("{}".utf8))
        #expect(neither.status == 2)
    }
}
