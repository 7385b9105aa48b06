import ArgumentParser
import Glibc
import HookgateCore

/// `hookgate sign`: prints a valid signature for a payload, for building test requests.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Print a valid signature header value for a payload (and nothing else on standard output).",
        discussion: """
            Example: curl -H "Stripe-Signature: $(hookgate sign --secret-env S body.json)" \
            --data-binary @body.json https://127.0.0.1:8443/webhooks/stripe
            With several secrets, the header carries one v1 signature per secret, as Stripe's does during a rotation.
            """
    )

    /// What to print.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// The signature header's value only.
        case value
        /// Every header of the scheme as `Name: value` lines.
        case headers
    }

    @Argument(help: ArgumentHelp("The raw payload file; standard input when absent or -.", valueName: "PAYLOAD"))
    var payload: String?

    @Option(help: "The signature scheme.")
    var scheme: SchemeOption = .stripe

    @OptionGroup var secrets: SecretOptions

    @Option(help: ArgumentHelp("Sign as of this Unix time instead of now.", valueName: "UNIX"))
    var at: Int64?

    @Option(help: ArgumentHelp("The message id to sign (standard-webhooks; required there).", valueName: "ID"))
    var webhookID: String?

    @Option(help: "value: the signature header's value; headers: every header as 'Name: value' lines.")
    var format: Format = .value

    func validate() throws {
        if self.scheme == .standardWebhooks, self.webhookID == nil {
            throw ValidationError("--scheme standard-webhooks needs --webhook-id")
        }
        if let at, at < 0 { throw ValidationError("--at must not be negative") }
    }

    func run() throws {
        let body = try InputFile.read(self.payload, limit: InputFile.maximumPayloadBytes, what: "payload")
        let scheme = self.scheme.scheme
        let keys: [HMACKey]
        do {
            keys = try self.secrets.load().map { tagged throws(SecretFormatError) in
                try scheme.makeKey(tagged.secret.secret, label: tagged.secret.label)
            }
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("\(error)")
        }
        let headers = scheme.sign(
            body: body,
            keys: keys,
            timestamp: self.at ?? Int64(time(nil)),
            messageID: self.webhookID
        )
        switch self.format {
        case .value:
            print(headers[scheme.headerNames[0]] ?? "")
        case .headers:
            for field in headers.fields { print("\(field.name): \(field.value)") }
        }
    }
}
