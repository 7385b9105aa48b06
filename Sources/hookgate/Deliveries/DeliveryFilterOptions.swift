import ArgumentParser
import Foundation
import HookgateStore

/// The filters that select deliveries, shared by `list`, `stats` and `export`.
struct DeliveryFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only this endpoint.", valueName: "NAME"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Only this state.", valueName: "STATE"))
    var state: DeliveryStateArgument?

    @Option(help: ArgumentHelp("Only this Stripe event type (e.g. payment_intent.succeeded).", valueName: "TYPE"))
    var type: String?

    @Option(help: ArgumentHelp("Only this catalog type (e.g. payment-succeeded).", valueName: "TYPE"))
    var catalogType: String?

    @Option(help: ArgumentHelp("Only this event id.", valueName: "evt_..."))
    var event: String?

    @Option(help: ArgumentHelp("Only this subject (a payment or refund id).", valueName: "ID"))
    var subject: String?

    @OptionGroup var received: ReceivedTimeOptions

    /// The store query for these filters, with relative times counted back from `now`.
    func query(now: Date, limit: Int) -> DeliveryQuery {
        DeliveryQuery(
            endpoint: self.endpoint,
            state: self.state?.state,
            eventType: self.type,
            eventID: self.event,
            receivedFrom: self.received.receivedFrom(now: now),
            receivedBefore: self.received.receivedBefore(now: now),
            limit: limit,
            catalogType: self.catalogType,
            subject: self.subject
        )
    }
}
