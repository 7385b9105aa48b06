import ArgumentParser
import AsyncHTTPClient
import Foundation
import HookgateCore
import HookgateDelivery
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

    @Flag(help: "With --dry-run: one JSON object per line (as deliveries list --json) instead of a table.")
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
        if self.json && !self.dryRun { throw ValidationError("--json lists deliveries, with --dry-run") }
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
        let query = self.filters.query(now: Date(), limit: 0)
        if self.references.isEmpty && query == DeliveryQuery(limit: 0) {
            throw ValidationError(
                "select the deliveries to replay: ids, --event, --state or another filter (nothing replays everything)"
            )
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
        var tally = ReplayTally()
        tally.notFound = selection.notFound
        try await self.requeue(selection.records, into: &tally)
        for line in tally.lines { StandardError.write(line) }
        guard self.wait else {
            if !tally.allSucceeded { throw ExitCode(1) }
            return
        }
        let outcome: ReplayWaiter.Outcome
        do {
            outcome = try await ReplayWaiter(reader: reader, timeout: .seconds(self.waitTimeout)).wait(
                for: tally.requeued
            )
        } catch {
            StandardError.write("hookgate replay: \(error)")
            throw ExitCode(1)
        }
        for line in outcome.lines { StandardError.write(line) }
        if !tally.allSucceeded || !outcome.failed.isEmpty || !outcome.unfinished.isEmpty { throw ExitCode(1) }
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

    /// Re-queues each record as a replay in the real store, paced by `--rate`, with a progress bar.
    private func requeue(_ records: [DeliveryRecord], into tally: inout ReplayTally) async throws {
        let configuration = try self.location.configuration(command: "replay")
        let store: SQLiteDeliveryStore
        do {
            store = try SQLiteDeliveryStore(configuration: configuration)
        } catch {
            StandardError.write("hookgate replay: cannot open the store at '\(configuration.path)': \(error)")
            throw ExitCode(1)
        }
        let pacer = ReplayPacer(perSecond: self.rate)
        var progress = ReplayProgress(total: records.count)
        for (index, record) in records.enumerated() {
            await pacer.wait(for: index)
            do {
                try await store.requeue(record.id, asReplay: true, now: Date())
                tally.record(record.id, .success(()))
            } catch {
                tally.record(record.id, .failure(error))
            }
            progress.update(done: index + 1, failed: tally.handled - tally.requeued.count)
        }
        progress.finish()
        await store.close()
    }

    /// `--to-socket` or `--to-url`: sends the selection now and prints sent, delivered and failed.
    private func sendNow(_ selection: ReplaySelection, reader: SQLiteDeliveryReader) async throws {
        var tally = ReplaySendTally()
        tally.notFound = selection.notFound
        if let toSocket {
            try await self.send(selection.records, toSocket: toSocket, reader: reader, tally: &tally)
        } else if let toURL {
            try await self.send(selection.records, toURL: toURL, tally: &tally)
        }
        for line in tally.lines { StandardError.write(line) }
        if !tally.allSucceeded { throw ExitCode(1) }
    }

    /// Sends each record with the worker's requests: its prepared messages, or its stored body with `--raw` or
    /// when it has none.
    private func send(
        _ records: [DeliveryRecord],
        toSocket socketPath: String,
        reader: SQLiteDeliveryReader,
        tally: inout ReplaySendTally
    ) async throws {
        let sender: UpstreamSender
        do {
            sender = try UpstreamSender(settings: UpstreamSettings(socketPath: socketPath))
        } catch {
            throw UsageError("--to-socket: \(error)")
        }
        var sentRaw: [DeliveryID] = []
        do {
            try await self.paced(records, tally: &tally) { record in
                let messages = self.raw ? [] : try await reader.inspection(of: record.id)?.messages ?? []
                if messages.isEmpty && !self.raw { sentRaw.append(record.id) }
                return await sender.send(record, messages: messages, attempt: record.attemptCount + 1).error
            }
        } catch {
            await sender.shutdown()
            StandardError.write("hookgate replay: \(error)")
            throw ExitCode(1)
        }
        await sender.shutdown()
        tally.sentRaw = sentRaw
    }

    /// Posts each record's stored body to another gateway, re-signed with the secret options and a fresh
    /// timestamp.
    private func send(_ records: [DeliveryRecord], toURL url: String, tally: inout ReplaySendTally) async throws {
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: try self.tls.configuration(connections: 1)
        )
        let sender = ReplayHTTPSSender(url: url, keys: try self.secrets.stripeKeys(), client: client)
        do {
            try await self.paced(records, tally: &tally) { await sender.send($0) }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    /// Sends each record with `send` (which returns why it failed, or nil), paced by `--rate`, with a progress
    /// bar, counting into `tally`.
    private func paced(
        _ records: [DeliveryRecord],
        tally: inout ReplaySendTally,
        _ send: (DeliveryRecord) async throws -> String?
    ) async throws {
        let pacer = ReplayPacer(perSecond: self.rate)
        var progress = ReplayProgress(total: records.count)
        defer { progress.finish() }
        for (index, record) in records.enumerated() {
            await pacer.wait(for: index)
            tally.record(record.id, error: try await send(record))
            progress.update(done: index + 1, failed: tally.failed.count)
        }
    }
}
