import ArgumentParser
import AsyncHTTPClient
import Glibc
import HookgateCore
import HookgateEmulator
import NIOCore
import NIOPosix
import NIOSSL
import UnixSignals

/// `hookgate emulate`: a local stand-in for a subset of Stripe's API that sends the resulting events as
/// signed webhooks, to develop and test against. It never presents itself as Stripe.
struct EmulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulate",
        abstract:
            "Run a local emulator of Stripe's PaymentIntents, Refunds and Events APIs that sends signed webhooks.",
        discussion: """
            Hookgate's emulator, not Stripe: test mode only (livemode false), Stripe's conventions (form-encoded \
            parameters, Authorization: Bearer sk_test_..., Stripe's error shape, Idempotency-Key, Request-Id). \
            Endpoints: POST and GET /v1/payment_intents, GET /v1/payment_intents/ID, \
            POST /v1/payment_intents/ID/confirm, GET /v1/charges/ID, POST and GET /v1/refunds, GET /v1/refunds/ID, \
            GET /v1/events (created[gt|gte|lt|lte], type, types[], delivery_success, limit, starting_after, \
            ending_before), GET /v1/events/ID, GET /v2/core/events/ID (thin events), and the emulator's own \
            GET /_emulator/requests (the POSTs answered since it started, idempotency_key=, idempotent_replayed). Stripe's test payment methods decide outcomes: pm_card_visa \
            succeeds, pm_card_chargeDeclined is declined (402 card_declined). --api-fail-first N answers the \
            first N POSTs with --api-fail-status (500 api_error, or 429 rate_limit) before running them, for \
            testing a client's retries; --api-answer-delay MS runs each POST at once and answers it MS later. \
            Each resulting event is signed with the secret (Stripe-Signature) and POSTed to --forward-to; a \
            non-2xx answer is retried on Stripe's schedule (1, 2, 4, 8, 16, 24, 17 hours) with each hour lasting \
            --retry-scale seconds. Every attempt is printed on standard output. State is kept in memory, or with \
            --state FILE in a SQLite file a later run continues from (its webhooks still pending are sent again). \
            Exit codes: 0 stopped by SIGINT or SIGTERM, 1 cannot listen, 2 usage error.
            """
    )

    @Option(help: ArgumentHelp("Where the API listens (port 0: any free port).", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:12111"

    @Option(help: ArgumentHelp("POST each event here as a signed webhook (none: the API only).", valueName: "URL"))
    var forwardTo: String?

    @OptionGroup var secrets: SecretOptions

    @OptionGroup var tls: HTTPSClientOptions

    @Flag(help: "Send thin events (v2.core.event with related_object) instead of snapshot events.")
    var thin = false

    @Option(help: ArgumentHelp("How many seconds one of Stripe's retry hours lasts.", valueName: "SECONDS"))
    var retryScale: Double = 1

    @Option(help: ArgumentHelp("Send this share (0 to 1) of events twice.", valueName: "P"))
    var duplicate: Double = 0

    @Flag(help: "Send the events of each request in a shuffled order.")
    var reorder = false

    @Option(help: ArgumentHelp("Wait a random time up to this many milliseconds before each send.", valueName: "MS"))
    var delay = 0

    @Option(
        help: ArgumentHelp(
            "Never send this share (0 to 1) of events (the Events API lists them with delivery_success=false).",
            valueName: "P"
        )
    )
    var drop: Double = 0

    @Option(
        help: ArgumentHelp(
            "Seed of --duplicate, --reorder, --delay and --drop (default: random, printed).",
            valueName: "N"
        )
    )
    var seed: UInt64?

    @Option(
        help: ArgumentHelp(
            "Answer the first N POSTs with --api-fail-status before running them (Stripe-Should-Retry: true).",
            valueName: "N"
        )
    )
    var apiFailFirst = 0

    @Option(help: ArgumentHelp("The status of --api-fail-first: 429, 500, 502 or 503.", valueName: "STATUS"))
    var apiFailStatus = 500

    @Option(help: ArgumentHelp("Run each POST at once, then wait this long before answering it.", valueName: "MS"))
    var apiAnswerDelay = 0

    @Option(
        help: ArgumentHelp(
            "Keep the state in this SQLite file (created when missing) instead of in memory.",
            valueName: "FILE"
        )
    )
    var state: String?

    @Option(help: ArgumentHelp("Serve HTTPS with this certificate chain (PEM); needs --tls-key.", valueName: "FILE"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The private key (PEM) of --tls-cert.", valueName: "FILE"))
    var tlsKey: String?

    func validate() throws {
        guard let address = ListenAddress(parsing: self.listen) else {
            throw ValidationError("--listen '\(self.listen)': \(ListenAddress.expectedForm)")
        }
        if (self.tlsCert == nil) != (self.tlsKey == nil) {
            throw ValidationError("give --tls-cert and --tls-key together")
        }
        if !address.isLoopback, self.tlsCert == nil {
            throw ValidationError("--listen on a non-loopback address needs HTTPS: give --tls-cert and --tls-key")
        }
        if let forwardTo {
            guard forwardTo.hasPrefix("http://") || forwardTo.hasPrefix("https://") else {
                throw ValidationError("--forward-to must be an http:// or https:// URL")
            }
        }
        for (name, share) in [("--duplicate", self.duplicate), ("--drop", self.drop)] where !(0...1).contains(share) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard (0...NetworkFaults.maximumDelayMilliseconds).contains(self.delay) else {
            throw ValidationError("--delay must be between 0 and \(NetworkFaults.maximumDelayMilliseconds)")
        }
        guard self.apiFailFirst >= 0 else { throw ValidationError("--api-fail-first must not be negative") }
        guard APIFaults.statuses.contains(self.apiFailStatus) else {
            throw ValidationError(
                "--api-fail-status must be one of "
                    + APIFaults.statuses.sorted().map(String.init).joined(separator: ", ")
            )
        }
        guard (0...APIFaults.maximumAnswerDelayMilliseconds).contains(self.apiAnswerDelay) else {
            throw ValidationError(
                "--api-answer-delay must be between 0 and \(APIFaults.maximumAnswerDelayMilliseconds)"
            )
        }
        guard self.retryScale > 0, self.retryScale <= 3600 else {
            throw ValidationError("--retry-scale must be above 0 and at most 3600 (Stripe's own pace)")
        }
    }

    func run() async throws {
        let address = ListenAddress(parsing: self.listen)!
        let keys = try self.signingKeys()
        let serverTLS = try self.serverTLS()
        let clientConfiguration = try self.tls.configuration(connections: 8)
        let seed = self.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        let api = try self.makeAPI()
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel: any Channel
        do {
            channel = try await EmulatorServer(api: api, tls: serverTLS).bind(
                host: address.host,
                port: address.port,
                group: group
            )
        } catch {
            try? await group.shutdownGracefully()
            StandardError.write("hookgate emulate: cannot listen on \(address): \(error)")
            throw ExitCode(1)
        }
        let port = channel.localAddress?.port ?? address.port
        let scheme = serverTLS == nil ? "http" : "https"
        let client = HTTPClient(eventLoopGroup: group, configuration: clientConfiguration)
        let dispatcher = Task {
            guard let forwardTo, let keys else { return }
            let configuration = WebhookDispatcher.Configuration(
                url: forwardTo,
                keys: keys,
                thin: self.thin,
                faults: NetworkFaults(
                    duplicate: self.duplicate,
                    reorder: self.reorder,
                    delayMilliseconds: self.delay,
                    drop: self.drop,
                    seed: seed
                ),
                schedule: RetrySchedule(secondsPerHour: self.retryScale),
                timeout: .seconds(20)
            )
            await WebhookDispatcher(
                api: api,
                client: client,
                configuration: configuration,
                now: { Int64(time(nil)) },
                report: EmulateOutput.print
            ).run()
        }
        StandardError.write(
            "hookgate emulate: Hookgate's Stripe emulator (not Stripe, test mode only) listening on "
                + "\(scheme)://\(Self.hostText(address.host)):\(port); "
                + (self.forwardTo.map { "webhooks (\(self.thin ? "thin" : "snapshot") events) to \($0), seed \(seed)" }
                    ?? "no --forward-to: events are only listed by the Events API")
        )
        for await _ in signals { break }
        try? await channel.close()
        api.finish()
        dispatcher.cancel()
        await dispatcher.value
        try? await client.shutdown()
        try? await group.shutdownGracefully()
        StandardError.write("hookgate emulate: stopped")
    }

    /// The Stripe keys to sign with; `nil` without --forward-to. `STRIPE_WEBHOOK_SECRET` when no secret option is given.
    private func signingKeys() throws(UsageError) -> [HMACKey]? {
        guard self.forwardTo != nil else { return nil }
        var secrets = self.secrets
        if secrets.isEmpty { secrets.environmentVariables = ["STRIPE_WEBHOOK_SECRET"] }
        return try secrets.stripeKeys()
    }

    /// The API, its state in memory or in the --state file.
    private func makeAPI() throws(UsageError) -> StripeAPI {
        let faults = APIFaults(
            failFirst: self.apiFailFirst,
            status: self.apiFailStatus,
            answerDelayMilliseconds: self.apiAnswerDelay
        )
        guard let state else {
            return StripeAPI(forwards: self.forwardTo != nil, now: Self.milliseconds, faults: faults)
        }
        do {
            return try StripeAPI(
                forwards: self.forwardTo != nil,
                now: Self.milliseconds,
                faults: faults,
                statePath: state
            )
        } catch {
            throw UsageError("cannot use the state file '\(state)': \(error)")
        }
    }

    /// The HTTPS context of --tls-cert and --tls-key; `nil` for plain HTTP.
    private func serverTLS() throws(UsageError) -> NIOSSLContext? {
        guard let tlsCert, let tlsKey else { return nil }
        do {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tlsCert).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tlsKey, format: .pem))
            )
            configuration.minimumTLSVersion = .tlsv12
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw UsageError("cannot use --tls-cert '\(tlsCert)' and --tls-key '\(tlsKey)': \(error)")
        }
    }

    private static func hostText(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    /// The current Unix time in milliseconds.
    @Sendable private static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
