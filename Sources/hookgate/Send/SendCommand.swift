import ArgumentParser
import AsyncHTTPClient
import Glibc
import HookgateCore
import NIOCore

/// `hookgate send`: signs and POSTs realistic Stripe test events, one or many (it doubles as a load tool).
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Sign and POST realistic Stripe test events (fresh ids, created now), like 'stripe trigger'.",
        discussion: """
            Events are signed with the Stripe scheme, by default with the secret in $STRIPE_WEBHOOK_SECRET. \
            With --body-file instead of TYPE the file's bytes are sent exactly as they are (a real payload), \
            signed with a fresh timestamp; with --count the same bytes are sent again, which the gateway answers \
            as a duplicate. \
            Up to 10 events: one line per event on standard output (status and response body). More, or when \
            standard output is not a terminal: a summary (counts by status, errors, events/s, latency p50/p99). \
            Exit codes: 0 every event got a 2xx answer, 1 some did not, 2 usage error.
            """
    )

    /// The most events printed one per line.
    static let maximumEventLines = 10

    @Argument(
        help: ArgumentHelp("The Stripe event type, e.g. payment_intent.succeeded (see --list).", valueName: "TYPE")
    )
    var type: String?

    @Flag(help: "Print the supported event types and exit.")
    var list = false

    @Option(
        help: ArgumentHelp(
            "Send this file's bytes exactly as the body, signed afresh (instead of TYPE; - for standard input).",
            valueName: "PATH"
        )
    )
    var bodyFile: String?

    @Option(help: "Where to POST.")
    var url = "https://127.0.0.1:8443/webhooks/stripe"

    @OptionGroup var secrets: SecretOptions

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Set a field, e.g. data.object.amount=500 (value is JSON if it parses, else a string). Repeatable.",
            valueName: "PATH=VALUE"
        )
    )
    var assignments: [JSONFieldAssignment] = []

    @Option(help: ArgumentHelp("Use this PaymentIntent id in every event (events about one payment).", valueName: "ID"))
    var paymentID: String?

    @Flag(help: "Make live-mode events (livemode: true).")
    var live = false

    @Option(help: ArgumentHelp("How many events to send.", valueName: "N"))
    var count = 1

    @Option(help: ArgumentHelp("How many requests at once, each on its own keep-alive connection.", valueName: "C"))
    var concurrency = 1

    @Option(help: ArgumentHelp("At most this many events per second.", valueName: "R"))
    var rate: Double?

    @OptionGroup var tls: HTTPSClientOptions

    @Option(
        name: .customLong("header"),
        help: ArgumentHelp("An extra request header. Repeatable.", valueName: "NAME:VALUE")
    )
    var extraHeaders: [String] = []

    @Option(help: ArgumentHelp("Seconds to wait for each answer.", valueName: "SECONDS"))
    var timeout = 30

    @Flag(name: [.customLong("print"), .customLong("dry-run")], help: "Print the event body instead of sending it.")
    var printOnly = false

    func validate() throws {
        if self.list { return }
        if self.bodyFile != nil {
            guard self.type == nil else { throw ValidationError("give an event TYPE or --body-file, not both") }
            let templateOptions = [
                ("--set", !self.assignments.isEmpty), ("--payment-id", self.paymentID != nil), ("--live", self.live),
            ]
            for (option, given) in templateOptions where given {
                throw ValidationError("\(option) cannot be used with --body-file: the file is sent byte for byte")
            }
        } else {
            guard let type else {
                throw ValidationError("give an event type (hookgate send --list shows them) or --body-file")
            }
            guard EventTemplates.named(type) != nil else {
                let types = EventTemplates.all.map(\.type)
                if let suggestion = SpellingSuggestion.closest(to: type, among: types) {
                    throw ValidationError("unknown event type '\(type)'; did you mean '\(suggestion)'?")
                }
                throw ValidationError("unknown event type '\(type)'; supported: \(types.joined(separator: ", "))")
            }
        }
        guard self.count > 0 else { throw ValidationError("--count must be at least 1") }
        guard self.concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        guard self.timeout > 0 else { throw ValidationError("--timeout must be positive") }
        for header in self.extraHeaders where Self.splitHeader(header) == nil {
            throw ValidationError("--header '\(header)' is not NAME:VALUE")
        }
        guard let scheme = self.url.split(separator: ":").first, ["http", "https"].contains(scheme) else {
            throw ValidationError("--url must be an http:// or https:// URL")
        }
    }

    func run() async throws {
        if self.list {
            let width = EventTemplates.all.map(\.type.count).max() ?? 0
            for template in EventTemplates.all {
                print(template.type + String(repeating: " ", count: width - template.type.count + 2) + template.summary)
            }
            return
        }
        let source = try self.eventSource()
        // A first event checks the --set paths before anything is sent.
        let sample = try source.make(created: Int64(time(nil)))
        if self.printOnly {
            print(String(decoding: sample.body, as: UTF8.self), terminator: "")
            return
        }
        let sender = WebhookSender(
            url: self.url,
            source: source,
            keys: try self.signingKeys(),
            headers: self.extraHeaders.compactMap(Self.splitHeader),
            count: self.count,
            concurrency: self.concurrency,
            rate: self.rate,
            timeout: .seconds(Int64(self.timeout))
        )
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: try self.tls.configuration(connections: self.concurrency)
        )
        let started = ContinuousClock.now
        let results = await sender.run(client: client)
        let summary = SendSummary(
            results: results,
            elapsed: ContinuousClock.now - started,
            concurrency: self.concurrency
        )
        try? await client.shutdown()
        self.report(summary)
        if !summary.allSucceeded { throw ExitCode(1) }
    }

    /// One line per event for a few events; the summary for many, or when the output is not a terminal.
    private func report(_ summary: SendSummary) {
        if self.count <= Self.maximumEventLines {
            for result in summary.results {
                if let status = result.status {
                    print("\(status) \(result.message)")
                } else {
                    StandardError.write("hookgate send: \(result.eventID): \(result.message)")
                }
            }
        }
        if self.count > Self.maximumEventLines || isatty(STDOUT_FILENO) != 1 {
            for line in summary.lines { print(line) }
        }
    }

    /// The --body-file's bytes, or the TYPE's template with --live, --payment-id and --set.
    private func eventSource() throws(UsageError) -> EventSource {
        if let bodyFile { return try EventSource.file(bodyFile) }
        return .template(
            TestEventFactory(
                template: EventTemplates.named(self.type!)!,
                livemode: self.live,
                fixedIDs: self.paymentID.map { ["pi": $0] } ?? [:],
                assignments: self.assignments
            )
        )
    }

    /// The Stripe keys of the secret options; `STRIPE_WEBHOOK_SECRET` when none is given.
    private func signingKeys() throws(UsageError) -> [HMACKey] {
        var secrets = self.secrets
        if secrets.isEmpty { secrets.environmentVariables = ["STRIPE_WEBHOOK_SECRET"] }
        return try secrets.stripeKeys()
    }

    private static func splitHeader(_ text: String) -> (name: String, value: String)? {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        let value = text[text.index(after: colon)...].drop { $0 == " " }
        return (String(text[..<colon]), String(value))
    }
}
