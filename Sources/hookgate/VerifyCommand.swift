import ArgumentParser
import Glibc
import HookgateCore
import HookgateStore

/// `hookgate verify`: checks a payload's signature and, when it fails, says why.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a webhook signature; explain the failure when it does not verify.",
        discussion: """
            Exits 0 when the signature is valid (printing which key matched), 1 when it is not (the error \
            code, the reason and the likely cause on standard error), 2 on a usage error.

            Secrets may be prefixed with live: or test:. The event is then verified with the secrets of its \
            own mode (its "livemode" field, or --mode), and a match with the other mode's secret is reported \
            as the cause of the failure.

            --delivery re-verifies a stored delivery (a delivery id or evt_...) byte for byte with the \
            keyring its endpoint has now in the configuration (or the --secret options): after a rotation, \
            a signature of a key that has expired since is reported as secret_expired, naming the key. The \
            timestamp is not held against the clock: the gateway checked it when the delivery came in.
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
    var header: String?

    @Option(
        help: ArgumentHelp(
            "Re-verify this stored delivery (a delivery id, or an event id) instead of a payload.",
            valueName: "DELIVERY"
        )
    )
    var delivery: String?

    @Option(help: ArgumentHelp("The endpoint, when --delivery is an event id.", valueName: "NAME"))
    var endpoint: String?

    @OptionGroup var location: StoreLocationOptions

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
        if self.delivery != nil {
            guard self.payload == nil, self.header == nil, self.webhookID == nil, self.webhookTimestamp == nil,
                self.scheme == .stripe
            else {
                throw ValidationError("--delivery takes the body, header and scheme from the store: drop them")
            }
            return
        }
        guard self.header != nil else { throw ValidationError("Missing expected argument '--header <VALUE>'") }
        if self.endpoint != nil { throw ValidationError("--endpoint applies to --delivery") }
        if self.scheme == .standardWebhooks, self.webhookID == nil || self.webhookTimestamp == nil {
            throw ValidationError("--scheme standard-webhooks needs --webhook-id and --webhook-timestamp")
        }
    }

    func run() async throws {
        if let delivery {
            try await self.verifyStored(delivery)
            return
        }
        let body = try InputFile.read(self.payload, limit: InputFile.maximumPayloadBytes, what: "payload")
        let scheme = self.scheme.scheme
        var headers = SignatureHeaders()
        headers.add(name: scheme.headerNames[0], value: self.header ?? "")
        if let webhookID { headers.add(name: "webhook-id", value: webhookID) }
        if let webhookTimestamp { headers.add(name: "webhook-timestamp", value: webhookTimestamp) }
        try self.verify(
            body: body,
            headers: headers,
            scheme: scheme,
            secrets: try self.secrets.load(),
            tolerance: self.tolerance.value,
            now: self.at ?? Int64(time(nil))
        )
    }

    /// `--delivery`: the stored body and signature header, with the endpoint's configured keyring (or the
    /// --secret options), as of now; the timestamp was checked at receipt.
    private func verifyStored(_ reference: String) async throws {
        let reader = try self.location.openReader(command: "verify")
        let inspection = try await DeliveryLookup.find(
            reference,
            endpoint: self.endpoint,
            in: reader,
            command: "verify"
        )
        let record = inspection.detail.record
        let secrets =
            self.secrets.isEmpty ? try self.configuredSecrets(of: record.received.endpoint) : try self.secrets.load()
        let report = try SignatureCheck.report(
            stored: record,
            secrets: secrets,
            mode: self.mode?.mode,
            now: self.at ?? Int64(time(nil))
        )
        try self.finish(report)
    }

    /// The secrets the configuration gives `endpoint` now (labels and expiries as configured).
    private func configuredSecrets(of endpoint: String) throws -> [SecretOptions.TaggedSecret] {
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader().load(
                configPath: self.location.config,
                environment: ProcessEnvironment.current()
            )
        } catch {
            StandardError.write("hookgate verify: the configuration is invalid:\n\(error)")
            throw ExitCode(1)
        }
        if let generated = loaded.generatedSecrets.first(where: { $0.endpoint == endpoint }) {
            throw UsageError(
                "\(generated.environmentVariable) is unset: set it to the endpoint's secret, or give --secret-env"
            )
        }
        switch SignatureCheck.configuredKeys(of: endpoint, in: loaded) {
        case .secrets(let secrets):
            return secrets
        case .notConfigured:
            throw UsageError("the endpoint \(endpoint) is not configured any more: give its secret with --secret-env")
        case .notStripe(let schemeName):
            throw UsageError(
                "the endpoint \(endpoint) uses \(schemeName); --delivery re-verifies Stripe signatures"
            )
        }
    }

    /// Verifies, explains a failure, prints the report; exit 1 when invalid.
    private func verify(
        body: [UInt8],
        headers: SignatureHeaders,
        scheme: any SignatureScheme,
        secrets: [SecretOptions.TaggedSecret],
        tolerance: TimestampTolerance,
        now: Int64
    ) throws {
        try self.finish(
            try SignatureCheck.report(
                body: body,
                headers: headers,
                scheme: scheme,
                secrets: secrets,
                mode: self.mode?.mode,
                tolerance: tolerance,
                now: now
            )
        )
    }

    /// Prints the report; exit 1 when invalid.
    private func finish(_ report: VerifyReport) throws {
        report.print(json: self.json)
        if case .invalid = report { throw ExitCode(1) }
    }
}
