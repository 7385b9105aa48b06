import ArgumentParser
import Foundation
import HookgateCore
import HookgateStore

/// `hookgate deliveries show`: one delivery with every attempt, its normalized events, or its raw body.
struct DeliveriesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one delivery: metadata, the key that verified it, every attempt, the normalized events.",
        discussion: """
            DELIVERY is a delivery id or an event id (evt_...). An event received by several endpoints needs \
            --endpoint. --body writes the stored body byte for byte and nothing else, so it can be piped into \
            hookgate verify. Exits 1 when no delivery matches.
            """
    )

    @OptionGroup var location: StoreLocationOptions

    @Argument(help: ArgumentHelp("A delivery id, or an event id (evt_...).", valueName: "DELIVERY"))
    var delivery: String

    @Option(help: ArgumentHelp("The endpoint, when DELIVERY is an event id.", valueName: "NAME"))
    var endpoint: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Flag(help: "Write only the raw body, exactly as received.")
    var body = false

    func validate() throws {
        guard !(self.json && self.body) else { throw ValidationError("--json and --body exclude each other") }
        if self.endpoint != nil, Int64(self.delivery) != nil {
            throw ValidationError("--endpoint applies to an event id, not a delivery id")
        }
    }

    func run() async throws {
        let reader = try self.location.openReader(command: "deliveries show")
        let inspection = try await DeliveryLookup.find(
            self.delivery,
            endpoint: self.endpoint,
            in: reader,
            command: "deliveries show"
        )
        if self.body {
            try StandardOutput.write(Array(inspection.detail.record.received.body))
        } else if self.json {
            print(DeliveryJSON.detail(inspection).serialized())
        } else {
            print(DeliveryDetailText.render(inspection), terminator: "")
        }
    }
}
