import ArgumentParser
import Foundation
import HookgateStore

/// The filters of `hookgate commands list`: those of `hookgate deliveries list` that apply to a command, with the
/// same argument types (``DeliveryStateArgument``) and the same receipt window (``ReceivedTimeOptions``).
struct CommandFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this state (a command is never skipped).", valueName: "STATE"))
    var state: DeliveryStateArgument?

    @Option(help: ArgumentHelp("Only this command type (payment-requested, refund-requested).", valueName: "TYPE"))
    var type: String?

    @Option(help: ArgumentHelp("Only the command with this CloudEvent id.", valueName: "ID"))
    var id: String?

    @Option(help: ArgumentHelp("Only this subject (an order id).", valueName: "ORDER"))
    var subject: String?

    @Option(
        help: ArgumentHelp("Only commands that Stripe's answer tied to this object (pi_..., re_...).", valueName: "ID")
    )
    var stripeObject: String?

    @OptionGroup var received: ReceivedTimeOptions

    /// The store query for these filters, with relative times counted back from `now`.
    func query(now: Date, limit: Int) -> CommandQuery {
        CommandQuery(
            state: self.state?.state,
            kind: self.type,
            commandID: self.id,
            subject: self.subject,
            stripeObjectID: self.stripeObject,
            receivedFrom: self.received.receivedFrom(now: now),
            receivedBefore: self.received.receivedBefore(now: now),
            limit: limit
        )
    }
}
