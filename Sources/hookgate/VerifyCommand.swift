import ArgumentParser
import Glibc
import HookgateCore

/// `hookgate verify`: checks a payload's signature and, when it fails, says why.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a webhook signature; explain the failure when it does not verify.",
        discussion: """
            Exits 0 when the signature is valid (printing which key matched), 1 when it is not (the error \
            code, the reason and the likely cause on standard error), 2 on a usage error.

            Secrets may be prefixed with live: or test:. The event is then verified with the secrets of its \
            own mode (its "livemode" field, or --mode), and a match with the other mode's secret is reported \
            as the cause of the failure.
            """
    )

    @Argument(help: ArgumentHelp("The raw payload file; standard input when absent or -.", valueName: "PAYLOAD"))
    var payload: String?

    @Option(
        help: ArgumentHelp(
            "The signature header's value (Stripe-Signature, or webhook-signature for standard-webhooks).",
            valueName: "VALUE"
        )
    )
    var header: String

    @Option(help: "The signature scheme.")
    var scheme: SchemeOption = .stripe

    @OptionGroup var secrets: SecretOptions
    @OptionGroup var tolerance: ToleranceOptions

    @Option(help: ArgumentHelp("Verify as of this Unix time instead of now.", valueName: "UNIX"))
    var at: Int64?

    @Option(help: "Verify as a live or test event (default: the payload's livemode).")
    var mode: ModeOption?

    @Option(help: ArgumentHelp("The webhook-id header (standard-webhooks).", valueName: "ID"))
    var webhookID: String?

    @Option(help: ArgumentHelp("The webhook-timestamp header (standard-webhooks).", valueName: "UNIX"))
    var webhookTimestamp: String?

    @Flag(help: "Print the result as one JSON object on standard output.")
    var json = false

    func validate() throws {
        if self.scheme == .standardWebhooks, self.webhookID == nil || self.webhookTimestamp == nil {
            throw ValidationError("--scheme standard-webhooks needs --webhook-id and --webhook-timestamp")
        }
    }

    func run() throws {
        let body = try InputFile.read(self.payload, limit: InputFile.maximumPayloadBytes, what: "payload")
        let secrets = try self.secrets.load()
        let scheme = self.scheme.scheme
        let now = self.at ?? Int64(time(nil))
        let mode = self.mode?.mode ?? EventEnvelope.read(body)?.livemode.map { $0 ? .live : .test }
        let used = secrets.filter { mode == nil || $0.mode == nil || $0.mode == mode }.map(\.secret)
        let otherMode = secrets.filter { mode != nil && $0.mode != nil && $0.mode != mode }.map(\.secret)

        var headers = SignatureHeaders()
        headers.add(name: scheme.headerNames[0], value: self.header)
        if let webhookID { headers.add(name: "webhook-id", value: webhookID) }
        if let webhookTimestamp { headers.add(name: "webhook-timestamp", value: webhookTimestamp) }

        let keyring: Keyring
        do {
            keyring = try Keyring(scheme: scheme, secrets: used)
        } catch {
            throw UsageError(error.description)
        }
        let report: VerifyReport
        do {
            let verified = try scheme.verify(
                body: body,
                headers: headers,
                keyring: keyring,
                tolerance: self.tolerance.value,
                now: now
            )
            report = .valid(verified, now: now)
        } catch {
            let diagnosis = SignatureDiagnosis(
                body: body,
                headers: headers,
                scheme: scheme,
                secrets: used,
                otherModeSecrets: otherMode,
                mode: mode,
                tolerance: self.tolerance.value,
                now: now
            )
            report = .invalid(error, findings: diagnosis.explain(error))
        }
        report.print(json: self.json)
        if case .invalid = report { throw ExitCode(1) }
    }
}
