import ArgumentParser
import Foundation
import HookgateCore
import HookgateStore

/// `hookgate deliveries export`: JSON lines of raw bodies and metadata, for audits.
struct DeliveriesExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export deliveries as JSON lines with their raw bodies and metadata, oldest first.",
        discussion: """
            Each line has the keys of list --json, then event_created_at, updated_at, prepared_at, ordering_key, \
            routed, key_label, peer, headers, body_bytes, body (the body as text, null when it is not UTF-8) \
            and body_base64 (byte-exact). Reads in pages of 500, so any number of deliveries can be exported.
            """
    )

    /// Deliveries read per snapshot.
    static let pageSize = 500

    @OptionGroup var location: StoreLocationOptions
    @OptionGroup var filters: DeliveryFilterOptions

    @Option(help: ArgumentHelp("At most this many deliveries (default: all).", valueName: "N"))
    var limit: Int?

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let reader = try self.location.openReader(command: "deliveries export")
        let query = self.filters.query(now: Date(), limit: 0)
        var remaining = self.limit ?? Int.max
        var last: DeliveryCursor?
        do {
            while remaining > 0 {
                let size = min(Self.pageSize, remaining)
                let page = try await reader.deliveries(matching: query, after: last, pageSize: size)
                for record in page { print(DeliveryJSON.export(record).serialized()) }
                remaining -= page.count
                guard page.count == size, let lastRecord = page.last else { break }
                last = DeliveryCursor(lastRecord)
            }
        } catch {
            StandardError.write("hookgate deliveries export: \(error)")
            throw ExitCode(1)
        }
    }
}
