import ArgumentParser
import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore

/// `hookgate replay`: re-queues stored deliveries for the configured upstream, as new attempts marked as replays,
/// or sends them now to another socket.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract:
            "Re-queue deliveries for the upstream: by delivery id or event id, or by the deliveries list filters.",
        discussion: """
            Each selected delivery becomes due now, keeping its id and attempts, as a replay: the running gateway \
            sends it within a second, dedup does not swallow it and the payment-level facts do not suppress it. \
            A delivery a worker holds is left alone and counted busy. More than 100 deliveries need a \
            confirmation: on a terminal the question, otherwise --yes. Safe while serve runs (one short write \
            transaction per delivery). --to-socket sends now instead, the worker's requests with the prepared \
            events (the stored body with --raw, or when none was prepared), and records nothing. The summary goes \
            to standard error. Exit codes: 0 every delivery re-queued (or delivered), 1 any busy, not found or \
            failed, 2 usage error.
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

    @Flag(help: "Replay more than 100 deliveries without asking.")
    var yes = false

    func validate() throws {
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if self.json && !self.dryRun { throw ValidationError("--json lists deliveries, with --dry-run") }
        if self.raw && self.toSocket == nil { throw ValidationError("--raw sends the stored body, with --to-socket") }
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
        if let toSocket { return try await self.send(selection, to: toSocket, reader: reader) }
        var tally = ReplayTally()
        tally.notFound = selection.notFound
        try await self.requeue(selection.records, into: &tally)
        for line in tally.lines { StandardError.write(line) }
        if !tally.allSucceeded { throw ExitCode(1) }
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
            progress.update(done: index + 1, failed: tally.handled - tally.requeued)
        }
        progress.finish()
        await store.close()
    }

    /// `--to-socket`: sends each record now, paced by `--rate`, with its prepared messages (or its stored body
    /// with `--raw` or when it has none); records nothing in the store.
    private func send(_ selection: ReplaySelection, to socketPath: String, reader: SQLiteDeliveryReader) async throws {
        let sender: UpstreamSender
        do {
            sender = try UpstreamSender(settings: UpstreamSettings(socketPath: socketPath))
        } catch {
            throw UsageError("--to-socket: \(error)")
        }
        var tally = ReplaySendTally()
        tally.notFound = selection.notFound
        let pacer = ReplayPacer(perSecond: self.rate)
        var progress = ReplayProgress(total: selection.records.count)
        for (index, record) in selection.records.enumerated() {
            await pacer.wait(for: index)
            var messages: [OutboundMessage] = []
            if !self.raw {
                do {
                    messages = try await reader.inspection(of: record.id)?.messages ?? []
                } catch {
                    StandardError.write("hookgate replay: \(error)")
                    await sender.shutdown()
                    throw ExitCode(1)
                }
                if messages.isEmpty { tally.sentRaw.append(record.id) }
            }
            tally.record(record.id, await sender.send(record, messages: messages, attempt: record.attemptCount + 1))
            progress.update(done: index + 1, failed: tally.failed.count)
        }
        progress.finish()
        await sender.shutdown()
        for line in tally.lines { StandardError.write(line) }
        if !tally.allSucceeded { throw ExitCode(1) }
    }
}
