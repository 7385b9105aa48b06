import ArgumentParser
import Foundation
import HookgateStore

/// `hookgate commands list`: the newest commands matching the filters.
struct CommandsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List commands to Stripe's API, newest first: a table, or JSON lines with --json.",
        discussion: """
            The table shows each command's store id, when it was received, its type, state and attempts, the \
            order, the amount (in the currency's smallest unit, as Stripe takes it; a refund without one is of \
            the whole rest), the object Stripe's answer named with its status, the CloudEvent id (the \
            Idempotency-Key) and the last error. Ids are never cut; on a narrow terminal the last error is.

            Each --json line is an object with id, command_id, kind, source, subject, order_id, amount, currency, \
            state, attempts, received_at, next_attempt_at, last_status, last_error, stripe_object ({id, status} \
            or null) and updated_at (times RFC 3339 UTC).
            """
    )

    @OptionGroup var location: StoreLocationOptions
    @OptionGroup var filters: CommandFilterOptions

    @Option(help: ArgumentHelp("At most this many commands.", valueName: "N"))
    var limit = 50

    @Flag(help: "One JSON object per line instead of a table.")
    var json = false

    func validate() throws {
        guard self.limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let reader: any CommandReader = try self.location.openReader(command: "commands list")
        let listing = RecordListing(
            command: "commands list",
            plural: "commands",
            json: CommandJSON.summary,
            table: CommandTable.render
        )
        try await listing.print(asJSON: self.json) {
            try await reader.commands(matching: self.filters.query(now: Date(), limit: self.limit))
        }
    }
}
