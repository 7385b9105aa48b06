/// Explains why a signature did not verify, by undoing the usual culprits one at a time and checking
/// whether the signature then matches.
///
/// A finding is *confirmed* when undoing its culprit reproduces the signature, and *likely* when it is
/// only a hint. Secrets are never part of a finding: keys are named by their labels.
public struct SignatureDiagnosis: Sendable {
    /// The mode of a Stripe event or secret.
    public enum Mode: String, Sendable, Hashable {
        case live, test
    }

    /// The raw body as received.
    public var body: [UInt8]
    /// The request headers as received.
    public var headers: SignatureHeaders
    /// The scheme the request was verified with.
    public var scheme: any SignatureScheme
    /// The keys that were tried.
    public var secrets: [LabelledSecret]
    /// Keys of the other mode (test vs live), tried only to explain a failure.
    public var otherModeSecrets: [LabelledSecret]
    /// The mode the request was verified as (from `livemode` or the caller), when known.
    public var mode: Mode?
    /// The tolerance that was applied.
    public var tolerance: TimestampTolerance
    /// The verifying clock, Unix seconds.
    public var now: Int64
    /// Whether the body and header were handed over to be checked (`hookgate verify` reads them from a file
    /// or standard input) rather than received just now. A timestamp in the past then most likely belongs to
    /// a stored copy of the request (the Dashboard, a log, `hookgate deliveries show --body`), and the
    /// finding says how to check one: `--at` the time it was received, `--no-tolerance`, or `--delivery`.
    public var isStoredCopy: Bool

    /// A genuine signature made longer ago than this (one hour) on a stored copy is taken for an old request,
    /// not for one held back on the way or a wrong clock: Stripe signs every attempt afresh, and no network
    /// path holds a request back for an hour.
    public static let storedCopyAge: Int64 = 3600

    public init(
        body: [UInt8],
        headers: SignatureHeaders,
        scheme: any SignatureScheme,
        secrets: [LabelledSecret],
        otherModeSecrets: [LabelledSecret] = [],
        mode: Mode? = nil,
        tolerance: TimestampTolerance,
        now: Int64,
        isStoredCopy: Bool = false
    ) {
        self.body = body
        self.headers = headers
        self.scheme = scheme
        self.secrets = secrets
        self.otherModeSecrets = otherModeSecrets
        self.mode = mode
        self.tolerance = tolerance
        self.now = now
        self.isStoredCopy = isStoredCopy
    }

    /// The findings that explain `error`, most certain first; never empty.
    public func explain(_ error: VerificationError) -> [DiagnosisFinding] {
        var findings: [DiagnosisFinding] = []
        var diagnosis = self
        if let stripped = self.headerWithoutName() {
            diagnosis.headers = stripped
            let rest = diagnosis.explainAfterHeaderFix()
            let explanation =
                "the header value was given with its name in front (\"Stripe-Signature: t=...\"); "
                + "pass only the value after the colon."
            if rest.isEmpty {
                return [DiagnosisFinding(cause: .headerIncludesName, confirmed: true, explanation: explanation)]
            }
            findings.append(DiagnosisFinding(cause: .headerIncludesName, confirmed: true, explanation: explanation))
            findings += rest
            return findings
        }
        switch error.code {
        case .timestampOutsideTolerance:
            findings.append(self.skewFinding(error))
        case .secretExpired:
            findings.append(self.expiredFinding(error))
        case .signatureMalformed where error.onlyLegacySignatures:
            findings.append(
                DiagnosisFinding(
                    cause: .onlyLegacySignatures,
                    confirmed: true,
                    explanation: "the header carries only v0 signatures. Stripe adds a fake v0 signature to "
                        + "test-mode events as a testing aid; it is never a real signature and no SDK accepts it. "
                        + "A genuine Stripe delivery always has a v1 signature: this header was built by hand, "
                        + "or the v1 part was lost on the way."
                )
            )
        case .signatureMismatch:
            findings += self.explainMismatch()
        default:
            break
        }
        if findings.isEmpty {
            findings.append(
                DiagnosisFinding(cause: .unexplained, confirmed: false, explanation: error.reason)
            )
        }
        return findings
    }

    /// Findings for the request once its header was fixed: empty when it then verifies.
    private func explainAfterHeaderFix() -> [DiagnosisFinding] {
        do {
            let keyring = try Keyring(scheme: self.scheme, secrets: self.secrets)
            _ = try self.scheme.verify(
                body: self.body,
                headers: self.headers,
                keyring: keyring,
                tolerance: self.tolerance,
                now: self.now
            )
            return []
        } catch let error as VerificationError {
            return self.explain(error)
        } catch {
            return []
        }
    }

    // MARK: - Mismatch

    private func explainMismatch() -> [DiagnosisFinding] {
        let secretVariants = self.secrets.flatMap(SecretVariant.variants(of:))
        // 1. A secret copied with whitespace or quotes.
        for variant in secretVariants where self.matches(self.body, [variant.secret]) {
            return [self.secretFinding(variant)]
        }
        // 2. The other mode's secret.
        if let label = self.matchingLabel(self.body, self.otherModeSecrets) {
            return [self.otherModeFinding(label)]
        }
        // 3. A changed body, then a changed body and a changed secret together.
        let bodyVariants = BodyVariant.variants(of: self.body)
        for variant in bodyVariants where self.matches(variant.bytes, self.secrets) {
            return [DiagnosisFinding(cause: variant.cause, confirmed: true, explanation: variant.explanation)]
        }
        for body in bodyVariants {
            for secret in secretVariants where self.matches(body.bytes, [secret.secret]) {
                return [
                    DiagnosisFinding(cause: body.cause, confirmed: true, explanation: body.explanation),
                    self.secretFinding(secret),
                ]
            }
            if let label = self.matchingLabel(body.bytes, self.otherModeSecrets) {
                return [
                    DiagnosisFinding(cause: body.cause, confirmed: true, explanation: body.explanation),
                    self.otherModeFinding(label),
                ]
            }
        }
        return self.likelyCauses()
    }

    /// Hints when nothing reproduced the signature.
    private func likelyCauses() -> [DiagnosisFinding] {
        var findings: [DiagnosisFinding] = []
        for secret in self.secrets {
            let value = SecretVariant.trimmingWhitespace(secret.secret.value)
            let apiKeyPrefixes = ["sk_", "rk_", "pk_"]
            if apiKeyPrefixes.contains(where: value.hasPrefix) {
                findings.append(
                    DiagnosisFinding(
                        cause: .notAWebhookSecret,
                        confirmed: false,
                        explanation: "key \"\(secret.label)\" is a Stripe API key, not a webhook signing secret. "
                            + "The signing secret (whsec_...) is on the endpoint's page in the Dashboard, or "
                            + "printed by `stripe listen`."
                    )
                )
            } else if self.scheme.name == "stripe", !value.hasPrefix("whsec_") {
                findings.append(
                    DiagnosisFinding(
                        cause: .notAWebhookSecret,
                        confirmed: false,
                        explanation: "key \"\(secret.label)\" does not start with whsec_; Stripe signing "
                            + "secrets always do. Copy the whole secret, prefix included."
                    )
                )
            }
        }
        if let layout = self.bodyLayoutHint() { findings.append(layout) }
        findings.append(
            DiagnosisFinding(
                cause: .unexplained,
                confirmed: false,
                explanation: "no usual culprit reproduces the signature (tried: secret whitespace and quotes, "
                    + "\(self.otherModeSecrets.isEmpty ? "" : "the other mode's secret, ")trailing newline, "
                    + "line endings, JSON re-serialization). Most likely the secret belongs to another endpoint "
                    + "(each endpoint has its own whsec_, and so does `stripe listen`), or the body was changed "
                    + "beyond whitespace (characters or numbers re-encoded)."
            )
        )
        return findings
    }

    /// A hint when the body does not look like what Stripe sends.
    private func bodyLayoutHint() -> DiagnosisFinding? {
        guard self.scheme.name == "stripe", self.body.first == UInt8(ascii: "{") else { return nil }
        if !self.body.contains(UInt8(ascii: "\n")) {
            return DiagnosisFinding(
                cause: .bodyReserialized,
                confirmed: false,
                explanation: "the body is compact, single-line JSON, but Stripe sends pretty-printed JSON: "
                    + "it was probably parsed and serialized again before verification."
            )
        }
        if self.body.contains(UInt8(ascii: "\r")) {
            return DiagnosisFinding(
                cause: .crlfLineEndings,
                confirmed: false,
                explanation: "the body has CR characters, which Stripe never sends: its line endings were "
                    + "probably converted."
            )
        }
        return nil
    }

    // MARK: - Findings

    private func skewFinding(_ error: VerificationError) -> DiagnosisFinding {
        let skew = error.skew ?? 0
        let amount = "\(abs(skew)) s (\(HumanDuration.describe(seconds: abs(skew))))"
        let howToCheckACopy =
            "verify it as of when it was received, `--at <Unix time of receipt>`, or without the time check, "
            + "`--no-tolerance`; a delivery in Hookgate's store is checked in one step with "
            + "`hookgate verify --delivery ID`."
        let explanation: String
        if skew >= 0 {
            explanation =
                "the signature is genuine, but its timestamp is \(amount) in the future: the sender's clock is "
                + "ahead or this machine's clock is behind. Check NTP (`timedatectl`)."
        } else if self.isStoredCopy, -skew > Self.storedCopyAge {
            explanation =
                "the signature is genuine, but it was made \(amount) ago: this is a stored copy of the request "
                + "(from the Dashboard, a log or `hookgate deliveries show --body`), and the tolerance is meant "
                + "for requests as they arrive. To check a stored copy, " + howToCheckACopy
        } else {
            explanation =
                "the signature is genuine, but it was made \(amount) ago. Stripe signs every attempt afresh, so "
                + "this request was replayed or held back on the way, or this machine's clock is ahead "
                + "(check it with `date -u`)."
                + (self.isStoredCopy ? " If it is a stored copy of the request, " + howToCheckACopy : "")
        }
        return DiagnosisFinding(cause: .timestampSkew, confirmed: true, explanation: explanation)
    }

    private func expiredFinding(_ error: VerificationError) -> DiagnosisFinding {
        let label = error.expiredKeyLabel ?? "?"
        let expiry = self.secrets.first { $0.label == label }?.expiresAt
        let when = expiry.map { " at \(UnixTime.rfc3339($0))" } ?? ""
        return DiagnosisFinding(
            cause: .secretExpired,
            confirmed: true,
            explanation: "the signature matches key \"\(label)\", which expired\(when). The sender still signs "
                + "with the old secret: finish rolling the secret at the sender, or extend the key's expiry."
        )
    }

    private func secretFinding(_ variant: SecretVariant) -> DiagnosisFinding {
        let what =
            variant.cause == .secretQuotes
            ? "surrounding quotes (from a .env or YAML file)" : "surrounding whitespace (a newline or a space)"
        return DiagnosisFinding(
            cause: variant.cause,
            confirmed: true,
            explanation: "key \"\(variant.secret.label)\" has \(what); without them the signature matches. "
                + "Store the secret exactly as the Dashboard shows it."
        )
    }

    private func otherModeFinding(_ label: String) -> DiagnosisFinding {
        let eventMode = self.mode.map { "a \($0.rawValue)-mode event" } ?? "this event"
        let otherMode = self.mode.map { $0 == .live ? "test-mode" : "live-mode" } ?? "other mode's"
        return DiagnosisFinding(
            cause: .otherModeSecret,
            confirmed: true,
            explanation: "the signature matches the \(otherMode) secret \"\(label)\", but this is \(eventMode). "
                + "Test and live mode have different signing secrets for the same endpoint URL: configure the "
                + "secret of the mode the events come from."
        )
    }

    // MARK: - Checks

    private func matches(_ body: [UInt8], _ secrets: [LabelledSecret]) -> Bool {
        self.matchingLabel(body, secrets) != nil
    }

    /// The label of the key among `secrets` whose signature matches `body`, ignoring timestamps and expiry.
    private func matchingLabel(_ body: [UInt8], _ secrets: [LabelledSecret]) -> String? {
        let unexpiring = secrets.map { LabelledSecret(label: $0.label, secret: $0.secret) }
        guard !unexpiring.isEmpty, let keyring = try? Keyring(scheme: self.scheme, secrets: unexpiring) else {
            return nil
        }
        let verified = try? self.scheme.verify(
            body: body,
            headers: self.headers,
            keyring: keyring,
            tolerance: .disabled,
            now: self.now
        )
        return verified?.keyLabel
    }

    /// The headers with a signature value stripped of a leading `Stripe-Signature:`, when it has one.
    private func headerWithoutName() -> SignatureHeaders? {
        guard let name = self.scheme.headerNames.first, let value = self.headers[name] else { return nil }
        let prefix = name + ":"
        guard value.lowercased().hasPrefix(prefix) else { return nil }
        var headers = SignatureHeaders()
        for field in self.headers.fields where field.name != name {
            headers.add(name: field.name, value: field.value)
        }
        headers.add(name: name, value: SecretVariant.trimmingWhitespace(String(value.dropFirst(prefix.count))))
        return headers
    }
}
