import HookgateCore
import Testing

/// One test per culprit: each must be named, and confirmed, by the diagnosis.
struct SignatureDiagnosisTests {
    static let secret = "whsec_diagnosis_tests_0001"
    static let t: Int64 = 1_800_000_000
    /// A real Stripe payload, byte for byte as Stripe would send it.
    static let payload = Fixtures.bytes("payment_intent.succeeded.json")

    /// The findings for `received`, signed over `signed` with `signingSecret`, verified with `secrets`.
    func findings(
        signed: [UInt8] = payload,
        received: [UInt8] = payload,
        signingSecret: String = secret,
        secrets: [String] = [secret],
        otherModeSecrets: [String] = [],
        mode: SignatureDiagnosis.Mode? = nil,
        header: String? = nil,
        now: Int64 = t,
        isStoredCopy: Bool = false
    ) throws -> [DiagnosisFinding] {
        let header = try header ?? stripeHeader(signed, secrets: signingSecret, at: Self.t)
        let labelled = secrets.enumerated().map {
            LabelledSecret(label: "key-\($0.offset + 1)", secret: Secret($0.element))
        }
        let other = otherModeSecrets.map { LabelledSecret(label: "other", secret: Secret($0)) }
        let keys = try Keyring(scheme: stripe, secrets: labelled)
        let headers: SignatureHeaders = ["Stripe-Signature": header]
        do {
            _ = try stripe.verify(body: received, headers: headers, keyring: keys, tolerance: .standard, now: now)
            Issue.record("expected the verification to fail")
            return []
        } catch {
            let diagnosis = SignatureDiagnosis(
                body: received,
                headers: headers,
                scheme: stripe,
                secrets: labelled,
                otherModeSecrets: other,
                mode: mode,
                tolerance: .standard,
                now: now,
                isStoredCopy: isStoredCopy
            )
            return diagnosis.explain(error)
        }
    }

    func compact(_ json: [UInt8]) -> [UInt8] { JSONLayout.compact.apply(to: json)! }

    @Test func bodyReserializedCompact() throws {
        // What JSON.stringify(req.body) hands to the verifier.
        let found = try self.findings(received: self.compact(Self.payload))
        #expect(found.first?.cause == .bodyReserialized)
        #expect(found.first?.confirmed == true)
    }

    @Test func bodyReserializedWithTwoSpaceLayoutOfAnotherTool() throws {
        // Python's json.dumps(obj, indent=4): different whitespace, same tokens.
        let fourSpaces = JSONLayout(indent: 4, emptyContainers: .inline, escapeSlashes: false).apply(to: Self.payload)!
        let found = try self.findings(received: fourSpaces)
        #expect(found.first?.cause == .bodyReserialized)
        #expect(found.first?.confirmed == true)
    }

    @Test func bodyPrettyPrinted() throws {
        let compact = self.compact(Self.payload)
        let pretty = JSONLayout.stripePretty.apply(to: compact)!
        let found = try self.findings(signed: compact, received: pretty)
        #expect(found.first?.cause == .bodyPrettyPrinted)
        #expect(found.first?.confirmed == true)
    }

    @Test func trailingNewlineStripped() throws {
        let found = try self.findings(received: Array(Self.payload.dropLast()))
        #expect(found.map(\.cause) == [.trailingNewlineStripped])
        #expect(found.first?.confirmed == true)
    }

    @Test func trailingNewlineAdded() throws {
        let found = try self.findings(received: Self.payload + [UInt8(ascii: "\n")])
        #expect(found.map(\.cause) == [.trailingNewlineAdded])
    }

    @Test func crlfLineEndings() throws {
        let crlf = Self.payload.flatMap { $0 == UInt8(ascii: "\n") ? [UInt8(ascii: "\r"), $0] : [$0] }
        let found = try self.findings(received: crlf)
        #expect(found.map(\.cause) == [.crlfLineEndings])
    }

    @Test func secretWithWhitespace() throws {
        let found = try self.findings(secrets: [Self.secret + "\n"])
        #expect(found.map(\.cause) == [.secretWhitespace])
        #expect(found.first?.explanation.contains("key-1") == true)
    }

    @Test func secretWithQuotes() throws {
        let found = try self.findings(secrets: ["\"\(Self.secret)\""])
        #expect(found.map(\.cause) == [.secretQuotes])
    }

    @Test func onlyV0Signatures() throws {
        let found = try self.findings(header: "t=\(Self.t),v0=\(String(repeating: "1", count: 64))")
        #expect(found.map(\.cause) == [.onlyLegacySignatures])
    }

    @Test func timestampSkewInThePast() throws {
        let found = try self.findings(now: Self.t + 4213)
        #expect(found.map(\.cause) == [.timestampSkew])
        #expect(found.first?.explanation.contains("4213 s (1 h 10 min)") == true)
        #expect(found.first?.explanation.contains("ago") == true)
    }

    @Test func timestampSkewOfAStoredCopyPointsAtTheReceiptTime() throws {
        // A day old: no network holds a request back that long; it is a copy being checked later.
        let found = try self.findings(now: Self.t + 86_400, isStoredCopy: true)
        #expect(found.map(\.cause) == [.timestampSkew])
        let explanation = found.first?.explanation ?? ""
        #expect(explanation.contains("86400 s (1 d) ago: this is a stored copy of the request"), "\(explanation)")
        #expect(explanation.contains("`--at <Unix time of receipt>`"))
        #expect(explanation.contains("`--no-tolerance`"))
        #expect(explanation.contains("`hookgate verify --delivery ID`"))
        #expect(!explanation.contains("replayed"))
    }

    @Test func recentSkewOfAStoredCopyStillNamesTheClockButMentionsAt() throws {
        // Ten minutes: a wrong clock or a held-back request are as likely as a copy.
        let found = try self.findings(now: Self.t + 600, isStoredCopy: true)
        let explanation = found.first?.explanation ?? ""
        #expect(explanation.contains("replayed or held back on the way"), "\(explanation)")
        #expect(explanation.contains("If it is a stored copy of the request, verify it as of when it was received"))
        #expect(explanation.contains("`--at <Unix time of receipt>`"))
    }

    @Test func skewOfALiveRequestDoesNotMentionStoredCopies() throws {
        let found = try self.findings(now: Self.t + 86_400)
        let explanation = found.first?.explanation ?? ""
        #expect(explanation.contains("replayed or held back on the way"))
        #expect(!explanation.contains("--at"))
    }

    @Test func timestampSkewInTheFuture() throws {
        let found = try self.findings(now: Self.t - 900)
        #expect(found.map(\.cause) == [.timestampSkew])
        #expect(found.first?.explanation.contains("900 s (15 min) in the future") == true)
    }

    @Test func secretOfTheOtherMode() throws {
        let found = try self.findings(
            signingSecret: "whsec_test_mode_secret",
            secrets: ["whsec_live_mode_secret"],
            otherModeSecrets: ["whsec_test_mode_secret"],
            mode: .live
        )
        #expect(found.map(\.cause) == [.otherModeSecret])
        #expect(found.first?.explanation.contains("test-mode secret") == true)
        #expect(found.first?.explanation.contains("live-mode event") == true)
    }

    @Test func headerPastedWithItsName() throws {
        let header = "Stripe-Signature: " + (try stripeHeader(Self.payload, secrets: Self.secret, at: Self.t))
        let found = try self.findings(header: header)
        #expect(found.map(\.cause) == [.headerIncludesName])
    }

    @Test func twoCulpritsAtOnce() throws {
        let found = try self.findings(received: Array(Self.payload.dropLast()), secrets: [" \(Self.secret)"])
        #expect(found.map(\.cause) == [.trailingNewlineStripped, .secretWhitespace])
    }

    @Test func wrongSecretIsUnexplainedButHelpful() throws {
        let found = try self.findings(signingSecret: "whsec_somebody_else")
        #expect(found.last?.cause == .unexplained)
        #expect(found.allSatisfy { !$0.confirmed })
    }

    @Test func apiKeyInsteadOfSigningSecret() throws {
        let found = try self.findings(secrets: ["sk_test_51Habcdefghijklmnop"])
        #expect(found.first?.cause == .notAWebhookSecret)
    }

    /// No finding ever contains the secret, whatever the culprit.
    @Test func findingsNeverContainTheSecret() throws {
        let secret = "whsec_SECRETMARKER_5d41402abc4b2a76"
        let cases: [[DiagnosisFinding]] = [
            try self.findings(signingSecret: secret, secrets: [secret + " "]),
            try self.findings(signingSecret: secret, secrets: ["'\(secret)'"]),
            try self.findings(received: Array(Self.payload.dropLast()), signingSecret: secret, secrets: [secret]),
            try self.findings(signingSecret: "whsec_x", secrets: [secret]),
            try self.findings(signingSecret: secret, secrets: [secret], now: Self.t + 1000),
            try self.findings(signingSecret: secret, secrets: ["whsec_x"], otherModeSecrets: [secret], mode: .test),
        ]
        for finding in cases.joined() {
            #expect(!finding.explanation.contains("SECRETMARKER"))
        }
        #expect("\(Secret(secret))" == "<redacted>")
        #expect(String(reflecting: Secret(secret)).contains("SECRETMARKER") == false)
        #expect(
            String(describing: LabelledSecret(label: "l", secret: Secret(secret))).contains("SECRETMARKER") == false
        )
    }
}
