import ArgumentParser
import Foundation
import HookgateCore
import HookgateStore

/// `hookgate commands show`: one command, its request to Stripe's API and every attempt with Stripe's answer.
struct CommandsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one command: its request to Stripe's API and every attempt with Stripe's answer.",
        discussion: """
            COMMAND is a store id or a CloudEvent id (a number is taken as a store id first). The request is \
            shown as sent on every attempt: method, path, Idempotency-Key and the form, one parameter per line. \
            Each attempt shows Stripe's status, its Request-Id, whether Stripe replayed the answer saved for the \
            key (idempotent_replayed), the duration, the error and the answer's body. The API key is never \
            stored, so it is never shown. Exits 1 when no command matches.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @Argument(help: ArgumentHelp("A store id, or a CloudEvent id.", valueName: "COMMAND"))
    var command: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        let reader: any CommandReader = try self.location.openReader(command: "commands show")
        let detail = try await CommandLookup.find(self.command, in: reader, command: "commands show")
        if self.json {
            print(CommandJSON.detail(detail).serialized())
        } else {
            print(CommandDetailText.render(detail), terminator: "")
        }
    }
}
