import ArgumentParser
import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore

/// `hookgate commands retry`: makes a dead command due again, with the same `Idempotency-Key`.
struct CommandsRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Send a dead command to Stripe's API again.",
        discussion: """
            The command becomes due now, keeping its id, its attempts and its Idempotency-Key (its CloudEvent \
            id): the running gateway sends it within a second. Stripe keeps a key for 24 hours: within them it \
            answers a request it has already answered with the same answer, after them it would take the request \
            as new, so a command received more than 23.5 hours ago is not retried (have the payment system send \
            a new one, once Stripe shows that nothing ran). Safe while serve runs (one short write transaction). \
            Only a dead command is retried. Exit codes: 0 re-queued, 1 not found, not dead, too old or the store \
            is unusable, 2 usage error.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @Argument(help: ArgumentHelp("A store id, or a CloudEvent id.", valueName: "COMMAND"))
    var command: String

    func run() async throws {
        let reader: any CommandReader = try self.location.openReader(command: "commands retry")
        let record = try await CommandLookup.find(self.command, in: reader, command: "commands retry").record
        guard record.state == .dead else {
            StandardError.write(
                "hookgate commands retry: command \(record.id) is \(record.state.rawValue), not dead: only a dead "
                    + "command is retried"
            )
            throw ExitCode(1)
        }
        if let refusal = IdempotencyWindow.refusal(receivedAt: record.received.receivedAt, now: Date()) {
            StandardError.write("hookgate commands retry: command \(record.id) not re-queued: \(refusal)")
            throw ExitCode(1)
        }
        let configuration = try self.location.configuration(command: "commands retry")
        let store = try self.location.openStore(command: "commands retry", configuration: configuration)
        do {
            try await store.whileRunning { try await store.requeueCommand(record.id, now: Date()) }
        } catch let error as StoreError where error.code == .deliveryBusy {
            StandardError.write("hookgate commands retry: command \(record.id) is no longer dead: not retried")
            throw ExitCode(1)
        } catch {
            StandardError.write("hookgate commands retry: \(error)")
            throw ExitCode(1)
        }
        StandardError.write("command \(record.id) re-queued: the gateway sends it again")
    }
}
