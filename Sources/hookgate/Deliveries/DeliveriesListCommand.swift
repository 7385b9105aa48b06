import ArgumentParser
import Foundation
import HookgateStore

/// `hookgate deliveries list`: the newest deliveries matching the filters.
struct DeliveriesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List deliveries, newest first: a table, or JSON lines with --json.",
        discussion: """
            The table fits the terminal without ever cutting an id: it shortens the type and endpoint, and puts \
            each event id on a line of its own when the terminal is narrow. Piped or redirected, the table has \
            every value whole; for scripts, --json.

            Each --json line is an object with id, event_id, endpoint, type, catalog_type, subject, state, \
            attempts, received_at, next_attempt_at, last_error, skip_reason and replays (times RFC 3339 UTC).
            """
    )

    @OptionGroup var location: StoreLocationOptions
    @OptionGroup var filters: DeliveryFilterOptions

    @Option(help: ArgumentHelp("At most this many deliveries.", valueName: "N"))
    var limit = 50

    @Flag(help: "One JSON object per line instead of a table.")
    var json = false

    func validate() throws {
        guard self.limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let reader = try self.location.openReader(command: "deliveries list")
        let listing = RecordListing(
            command: "deliveries list",
            plural: "deliveries",
            json: DeliveryJSON.summary,
            table: DeliveryTable.render
        )
        try await listing.print(asJSON: self.json) {
            try await reader.deliveries(matching: self.filters.query(now: Date(), limit: self.limit))
        }
    }
}
