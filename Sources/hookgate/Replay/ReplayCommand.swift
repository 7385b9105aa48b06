import ArgumentParser
import Foundation
import HookgateCore
import HookgateStore

/// `hookgate replay`: re-queues stored deliveries for the configured upstream, as new attempts marked as replays,
/// or sends them now to another socket or gateway.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay deliveries: re-queue them for the upstream, or send them now to another socket or gateway.",
        discussion: """
            Each selected delivery becomes due now, keeping its id and attempts, as a replay: the running gateway \
            sends it within a second, dedup does not swallow it and the payment-level facts do not suppress it. \
            A delivery a worker holds is left alone and counted busy. More than 100 deliveries need a \
            confirmation: on a terminal the question, otherwise --yes. Safe while serve runs (one short write \
            transaction per delivery). --to-socket sends now instead, the worker's requests with the prepared \
            events (the stored body with --raw, or when none was prepared); --to-url posts the stored bodies to \
            another gateway, re-signed with the secret options and a fresh timestamp. Neither records anything. \
            The summary goes to standard error. Exit codes: 0 every delivery re-queued (or delivered), 1 any \
            busy, not found or failed, 2 usage error.
            """
    )

    @OptionGroup var location: StoreLocationOptions
    @OptionGroup var filters: DeliveryFilterOptions

    @Argument(help: ArgumentHelp("Delivery ids or event ids (evt_...) to replay.", valueName: "ID"))
    var references: [String] = []

    @Flag(help: "List what would be replayed and change nothing.")
    var dryRun = false

    @Flag(
        help: """
            With --dry-run: one JSON object per line (as deliveries list --json) instead of a table; otherwise the \
            summary as one JSON object on standard output as well.
            """
    )
    var json = false

    @Option(help: ArgumentHelp("At most this many deliveries per second.", valueName: "N"))
    var rate: Int?

    @Option(
        help: ArgumentHelp(
            "Send now to this Unix socket instead of re-queueing (as the worker sends; nothing is recorded).",
            valueName: "PATH"
        )
    )
    var toSocket: String?

    @Flag(help: "With --to-socket: send the stored body and content type instead of the normalized events.")
    var raw = false

    @Option(
        help: ArgumentHelp(
            "Post now to another gateway over HTTPS instead: the stored body re-signed with the secret options.",
            valueName: "URL"
        )
    )
    var toURL: String?

    @OptionGroup var secrets: SecretOptions
    @OptionGroup var tls: HTTPSClientOptions

    @Flag(help: "After re-queueing, wait until the gateway has delivered (or given up) each, and report it.")
    var wait = false

    @Option(help: ArgumentHelp("With --wait: wait at most this long.", valueName: "SECONDS"))
    var waitTimeout = 300

    @Flag(help: "Replay more than 100 deliveries without asking.")
    var yes = false

    func validate() throws {
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if self.wait && (self.dryRun || self.toSocket != nil || self.toURL != nil) {
            throw ValidationError("--wait follows re-queued deliveries: not with --dry-run, --to-socket or --to-url")
        }
        if self.waitTimeout <= 0 { throw ValidationError("--wait-timeout must be positive") }
        if self.raw && self.toSocket == nil { throw ValidationError("--raw sends the stored body, with --to-socket") }
        if self.toSocket != nil && self.toURL != nil { throw ValidationError("give --to-socket or --to-url, not both") }
        if let toURL, !toURL.hasPrefix("https://") && !toURL.hasPrefix("http://") {
            throw ValidationError("--to-url must be an https:// or http:// URL")
        }
        if self.toURL == nil && (!self.secrets.isEmpty || self.tls.cacert != nil || self.tls.insecure) {
            throw ValidationError("--secret, --secret-file, --secret-env, --cacert and --insecure go with --to-url")
        }
        var query = self.filters.query(now: Date(), limit: 0)
        if self.references.isEmpty && query == DeliveryQuery(limit: 0) {
            throw ValidationError(
                "select the deliveries to replay: ids, --event, --state or another filter (nothing replays everything)"
            )
        }
        query.endpoint = nil
        if !self.references.isEmpty && query != DeliveryQuery(limit: 0) {
            throw ValidationError("give ids or filters, not both (--endpoint narrows event ids)")
        }
    }

    func run() async throws {
        let reader = try self.location.openReader(command: "replay")
        let selection: ReplaySelection
        do {
            selection = try await ReplaySelection.read(
                references: self.references,
                query: self.filters.query(now: Date(), limit: 0),
                from: reader
            )
        } catch {
            StandardError.write("hookgate replay: \(error)")
            throw ExitCode(1)
        }
        if self.dryRun { return try self.list(selection) }
        if !self.yes { try ReplayConfirmation.confirm(count: selection.records.count, action: "replay") }
        if self.toSocket != nil || self.toURL != nil { return try await self.sendNow(selection, reader: reader) }
        try await self.requeue(selection, reader: reader)
    }

    /// `--dry-run`: the selection as a table or JSON lines; exit 1 when a reference matched nothing.
    private func list(_ selection: ReplaySelection) throws {
        if self.json {
            for record in selection.records { print(DeliveryJSON.summary(record).serialized()) }
        } else if !selection.records.isEmpty {
            print(DeliveryTable.render(selection.records, width: TerminalWidth.current()), terminator: "")
        }
        StandardError.write("dry run: would re-queue \(selection.records.count) deliveries; nothing changed")
        if !selection.notFound.isEmpty {
            StandardError.write("not found: " + selection.notFound.joined(separator: ", "))
            throw ExitCode(1)
        }
    }
}
