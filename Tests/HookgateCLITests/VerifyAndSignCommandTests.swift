import Foundation
import HookgateTestSupport
import Testing

@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct VerifyAndSignCommandTests {
    static let secret = "whsec_cli_tests_7f3a9b"
    static let environment = ["HG_TEST_SECRET": secret]
    static let payload = CLIFixtures.path("payment_intent.succeeded.json")

    func sign(_ extra: [String] = [], payload: String = payload) throws -> String {
        let result = try HookgateProcess.run(
            ["sign", "--secret-env", "HG_TEST_SECRET", payload] + extra,
            environment: Self.environment
        )
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    @Test func signPrintsOnlyTheHeaderValue() throws {
        let result = try HookgateProcess.run(
            ["sign", "--secret-env", "HG_TEST_SECRET", "--at", "1800000000", Self.payload],
            environment: Self.environment
        )
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.wholeMatch(of: /t=1800000000,v1=[0-9a-f]{64}\n/) != nil)
    }

    @Test func signedPayloadVerifies() throws {
        let header = try self.sign()
        let result = try HookgateProcess.run(
            ["verify", "--secret-env", "HG_TEST_SECRET", "--header", header, Self.payload],
            environment: Self.environment
        )
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("valid: the v1 signature matches key \"HG_TEST_SECRET\""))
    }

    @Test func payloadFromStandardInput() throws {
        let header = try self.sign()
        let body = try CLIFixtures.bytes("payment_intent.succeeded.json")
        let result = try HookgateProcess.run(
            ["verify", "--secret-env", "HG_TEST_SECRET", "--header", header, "-"],
            environment: Self.environment,
            stdin: body
        )
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func rotationSignsWithEverySecret() throws {
        let result = try HookgateProcess.run(
            ["sign", "--secret-env", "HG_TEST_SECRET", "--secret", "whsec_second", "--at", "1800000000", Self.payload],
            environment: Self.environment
        )
        #expect(result.stdout.wholeMatch(of: /t=1800000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}\n/) != nil)
        let onlySecond = try HookgateProcess.run(
            [
                "verify", "--secret", "whsec_second", "--at", "1800000000", "--header",
                result.stdout.trimmingCharacters(in: .newlines), Self.payload,
            ])
        #expect(onlySecond.status == 0)
        #expect(onlySecond.stdout.contains("\"--secret #1\""))
    }

    @Test func invalidSignatureExitsOneWithCodeAndCause() throws {
        let header = try self.sign()
        let directory = try TemporaryDirectory()
        let stripped = try directory.write(
            "stripped.json",
            Array(try CLIFixtures.bytes("payment_intent.succeeded.json").dropLast())
        )
        let result = try HookgateProcess.run(
            ["verify", "--secret-env", "HG_TEST_SECRET", "--header", header, stripped],
            environment: Self.environment
        )
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("invalid: signature_mismatch: "))
        #expect(result.stderr.contains("cause: trailing_newline_stripped (confirmed)"))
    }

    @Test func staleTimestampNamesTheSkew() throws {
        let header = try self.sign(["--at", "1800000000"])
        let result = try HookgateProcess.run(
            ["verify", "--secret-env", "HG_TEST_SECRET", "--header", header, "--at", "1800000400", Self.payload],
            environment: Self.environment
        )
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("invalid: timestamp_outside_tolerance: "))
        #expect(result.stderr.contains("400 s (6 min 40 s) ago"))
        let tolerant = try HookgateProcess.run(
            [
                "verify", "--secret-env", "HG_TEST_SECRET", "--header", header, "--at", "1800000400",
                "--tolerance-past", "600", Self.payload,
            ],
            environment: Self.environment
        )
        #expect(tolerant.status == 0)
        let unchecked = try HookgateProcess.run(
            [
                "verify", "--secret-env", "HG_TEST_SECRET", "--header", header, "--at", "1900000000", "--no-tolerance",
                Self.payload,
            ],
            environment: Self.environment
        )
        #expect(unchecked.status == 0)
    }

    @Test func dayOldSignatureIsTakenForAStoredCopy() throws {
        // A payload signed a day before the verifying time: the hint says how to check a stored copy.
        let header = try self.sign(["--at", "1800000000"])
        let result = try HookgateProcess.run(
            ["verify", "--secret-env", "HG_TEST_SECRET", "--header", header, "--at", "1800086400", Self.payload],
            environment: Self.environment
        )
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("invalid: timestamp_outside_tolerance: "))
        #expect(
            result.stderr.contains(
                "cause: timestamp_skew (confirmed): the signature is genuine, but it was made 86400 s (1 d) ago: "
                    + "this is a stored copy of the request"
            ),
            "\(result.stderr)"
        )
        #expect(result.stderr.contains("`--at <Unix time of receipt>`"))
        #expect(result.stderr.contains("`--no-tolerance`"))
        #expect(result.stderr.contains("`hookgate verify --delivery ID`"))
        #expect(!result.stderr.contains("replayed"))
        let asOfReceipt = try HookgateProcess.run(
            ["verify", "--secret-env", "HG_TEST_SECRET", "--header", header, "--at", "1800000002", Self.payload],
            environment: Self.environment
        )
        #expect(asOfReceipt.status == 0, "\(asOfReceipt.stderr)")
    }

    @Test func otherModeSecretIsDiagnosed() throws {
        // The fixture is a test-mode event (livemode: false), signed here with the live secret.
        let live = try HookgateProcess.run(
            ["sign", "--secret-env", "LIVE", "--at", "1800000000", Self.payload],
            environment: ["LIVE": "whsec_live_1"]
        )
        let result = try HookgateProcess.run(
            [
                "verify", "--secret-env", "live:LIVE", "--secret-env", "test:TEST", "--at", "1800000000",
                "--header", live.stdout.trimmingCharacters(in: .newlines), Self.payload,
            ],
            environment: ["LIVE": "whsec_live_1", "TEST": "whsec_test_1"]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("cause: other_mode_secret (confirmed)"))
        #expect(result.stderr.contains("live-mode secret \"live:LIVE\""))
    }

    @Test func secretFileDropsOneFinalNewline() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("secret", Array((Self.secret + "\n").utf8))
        let header = try self.sign()
        let result = try HookgateProcess.run(["verify", "--secret-file", file, "--header", header, Self.payload])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func jsonOutput() throws {
        let header = try self.sign(["--at", "1800000000"])
        let valid = try HookgateProcess.run(
            [
                "verify", "--json", "--at", "1800000000", "--secret-env", "HG_TEST_SECRET", "--header", header,
                Self.payload,
            ],
            environment: Self.environment
        )
        #expect(valid.stdout == "{\"valid\":true,\"key\":\"HG_TEST_SECRET\",\"timestamp\":1800000000}\n")
        let invalid = try HookgateProcess.run(
            ["verify", "--json", "--at", "1800000000", "--secret", " \(Self.secret)", "--header", header, Self.payload])
        #expect(invalid.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(invalid.stdout.utf8)) as? [String: Any]
        #expect(object?["error"] as? String == "signature_mismatch")
        let findings = object?["findings"] as? [[String: Any]]
        #expect(findings?.first?["cause"] as? String == "secret_whitespace")
    }

    @Test func standardWebhooksSpecificationVector() throws {
        let directory = try TemporaryDirectory()
        let body = try directory.write("body.json", Array("{\"test\": 2432232314}".utf8))
        let result = try HookgateProcess.run(
            [
                "verify", "--scheme", "standard-webhooks", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "--webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "--webhook-timestamp", "1614265330", "--at",
                "1614265330",
                "--header", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let signed = try HookgateProcess.run(
            [
                "sign", "--scheme", "standard-webhooks", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "--webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "--at", "1614265330", "--format", "headers", body,
            ])
        #expect(
            signed.stdout == """
                webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek
                webhook-timestamp: 1614265330
                webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=

                """
        )
    }

    @Test(arguments: [
        ["verify", "--bogus"],
        ["verify", "--secret", "whsec_x", "-"],
        ["verify", "--secret-env", "HG_UNSET_VARIABLE_FOR_TESTS", "--header", "t=1,v1=00"],
        ["verify", "--secret", "whsec_x", "--header", "t=1,v1=00", "/nonexistent/payload.json"],
        ["verify", "--secret", "whsec_x", "--header", "t=1,v1=00", "--tolerance", "-5"],
        ["verify", "--header", "t=1,v1=00", "-"],
        ["verify", "--scheme", "standard-webhooks", "--secret", "whsec_AAAA", "--header", "v1,AAAA", "-"],
        ["sign", "--scheme", "standard-webhooks", "--secret", "whsec_AAAA", "-"],
        ["sign", "--scheme", "standard-webhooks", "--secret", "whsec_not*base64", "--webhook-id", "m", "-"],
        ["nonsense"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) throws {
        let result = try HookgateProcess.run(arguments, stdin: Array("{}".utf8))
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    /// The secret never appears on either stream, whether given literally, in a file or in a variable,
    /// whatever the outcome.
    @Test func secretsNeverAppearInOutput() throws {
        let marker = "whsec_NEVERPRINTED_c0ffee1234"
        let directory = try TemporaryDirectory()
        let secretFile = try directory.write("secret", Array(" \(marker)\n\n".utf8))
        let environment = ["HG_MARKER": marker, "HG_MARKER_QUOTED": "\"\(marker)\""]
        let header = try self.sign(["--at", "1800000000"])
        let wrongHeader = "t=1800000000,v1=" + String(repeating: "0", count: 64)
        let runs: [[String]] = [
            ["verify", "--secret", marker, "--header", header, Self.payload],
            ["verify", "--secret", " \(marker) ", "--header", wrongHeader, Self.payload],
            ["verify", "--secret-file", secretFile, "--header", header, Self.payload],
            ["verify", "--secret-env", "HG_MARKER_QUOTED", "--header", header, "--json", Self.payload],
            ["verify", "--secret-env", "HG_MARKER", "--header", "Stripe-Signature: \(wrongHeader)", Self.payload],
            [
                "verify", "--secret-env", "live:HG_MARKER", "--secret-env", "test:HG_MARKER_QUOTED", "--header",
                wrongHeader, Self.payload,
            ],
            ["verify", "--secret", marker, "--header", "t=1,v0=00", Self.payload],
            ["verify", "--secret", marker, "--header", header, "--bogus"],
            ["verify", Self.payload, marker, "--header", header, "--secret-env", "HG_MARKER"],
            ["verify", Self.payload, "--secret=\(marker)", "--header", header, marker],
            ["sign", "--secret", marker, "--scheme", "standard-webhooks", Self.payload],
            [
                "verify", "--scheme", "standard-webhooks", "--secret", marker, "--webhook-id", "m",
                "--webhook-timestamp", "1", "--header", "v1,x", Self.payload,
            ],
        ]
        for run in runs {
            // Verified as of the signing time, so what is checked and reported never depends on the date.
            let arguments = run.first == "verify" ? run + ["--at", "1800000000"] : run
            let result = try HookgateProcess.run(arguments, environment: environment)
            #expect(!result.output.contains("NEVERPRINTED"), "\(arguments)")
            #expect(result.status != 0, "\(arguments)")
        }
    }
}
