import ArgumentParser
import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import Logging

/// `hookgate reconcile`: stores the events Stripe's Events API lists that the gateway never received.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Store the events Stripe lists that never arrived as webhooks, for the worker to forward once.",
        discussion: """
            For each Stripe endpoint of the configuration (read as serve reads it, without reading the endpoints' \
            secrets), lists the events of the types \
            it maps from Stripe's Events API (GET /v1/events, stripe.api_base, the key from stripe.api_key_env or \
            stripe.api_key_file), created since --since, page by page, and looks each up in the store. An event \
            the store lacks is appended as reconciled: its JSON as the body, no signature (it came over TLS from \
            the API with the key), so the running gateway's worker forwards it once, and the webhook, if it comes \
            later, is a duplicate. One line per event added, then one summary line per endpoint (listed, already \
            had, added); --json prints one JSON object instead. At most --max-pages requests per run: a run that \
            stops there says so. Safe while serve runs. Exit codes: 0 done, 1 Stripe's API or the store failed \
            (what was added before stays), 2 usage error.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @Option(
        help: ArgumentHelp(
            "The oldest events listed: a time ago (90m, 12h, 3d) or RFC 3339 (default: 3d, as long as Stripe retries).",
            valueName: "TIME"
        )
    )
    var since: TimeArgument?

    @Flag(help: "List only the events Stripe has not delivered to some endpoint (delivery_success=false).")
    var undeliveredOnly = false

    @Option(help: ArgumentHelp("Reconcile only this endpoint.", valueName: "NAME"))
    var endpoint: String?

    @Option(help: ArgumentHelp("At most this many requests to the Events API (1-10000).", valueName: "N"))
    var maxPages = Reconciler.defaultMaximumPages

    @Flag(help: "List what would be added and change nothing.")
    var dryRun = false

    @Flag(help: "Print the summary as one JSON object, with the ids added, instead of lines.")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(self.maxPages) else { throw ValidationError("--max-pages must be 1 to 10000") }
    }

    func run() async throws {
        let environment = ProcessEnvironment.current()
        let configuration: HookgateConfiguration
        let stripeAPI: StripeAPISettings?
        do {
            (configuration, stripeAPI) = try ConfigurationLoader.reconcileConfiguration(
                configPath: self.location.config,
                environment: environment
            )
        } catch {
            StandardError.write("hookgate reconcile: the configuration is invalid:\n\(error)")
            throw ExitCode(1)
        }
        guard let api = stripeAPI else {
            let name = configuration.stripe.apiKeyVariable
            throw UsageError("no Stripe API key: set \(name) (or stripe.api_key_env / stripe.api_key_file)")
        }
        let all = ReconcileTarget.all(configuration.endpoints)
        var targets = all
        if let endpoint {
            targets = targets.filter { $0.endpoint == endpoint }
            guard !targets.isEmpty else { throw UsageError("no Stripe endpoint named '\(endpoint)' maps event types") }
        }
        let summary = try await self.reconcile(targets, lookingUp: all.map(\.endpoint), api: api)
        if self.json {
            print(summary.json.serialized())
        } else {
            for line in summary.lines { print(line) }
        }
        if let incomplete = summary.incomplete { StandardError.write("hookgate reconcile: \(incomplete)") }
    }

    /// Runs the reconciliation on the store (read-only with `--dry-run`).
    private func reconcile(
        _ targets: [ReconcileTarget],
        lookingUp endpoints: [String],
        api: StripeAPISettings
    ) async throws -> ReconcileSummary {
        let reader: any DeliveryReader
        let store: (any DeliveryStore)?
        if self.dryRun {
            reader = try self.location.openReader(command: "reconcile")
            store = nil
        } else {
            let configuration = try self.location.configuration(command: "reconcile")
            let opened = try self.location.openStore(command: "reconcile", configuration: configuration)
            (reader, store) = (opened, opened)
        }
        let client = StripeAPIClient(settings: api)
        let now = Date()
        let reconciler = Reconciler(
            client: client,
            reader: reader,
            store: store,
            targets: targets,
            endpointsLookedUp: endpoints,
            since: self.since?.date(now: now) ?? now.addingTimeInterval(-Reconciler.defaultWindow),
            undeliveredOnly: self.undeliveredOnly,
            maximumPages: self.maxPages
        )
        let verb = self.dryRun ? "would add" : "added"
        let json = self.json
        let run = { () async -> Result<ReconcileSummary, ReconcileFailure> in
            do throws(ReconcileFailure) {
                return .success(
                    try await reconciler.run(now: now, logger: Logger(label: "hookgate.reconcile")) { endpoint, event in
                        guard !json else { return }
                        print("\(verb) \(endpoint) \(event.id) \(event.type) \(DeliveryTime.seconds(event.created))")
                    }
                )
            } catch {
                return .failure(error)
            }
        }
        let result = if let store { try await store.whileRunning(run) } else { await run() }
        await client.shutdown()
        switch result {
        case .success(let summary):
            return summary
        case .failure(let failure):
            StandardError.write("hookgate reconcile: \(failure)")
            throw ExitCode(1)
        }
    }
}
