import ArgumentParser
import Foundation
import HookgateCore
import HookgateStore

/// `hookgate deliveries stats`: counts by state, Stripe type and catalog type.
struct DeliveriesStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count deliveries by state, Stripe type and catalog type (all time, or --since/--until).",
        discussion: """
            --json prints one object: total, since, until, by_state, by_type, by_catalog_type and \
            without_catalog_type (not prepared yet, skipped, or forwarded raw).
            """
    )

    @OptionGroup var location: StoreLocationOptions
    @OptionGroup var filters: DeliveryFilterOptions

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        let reader = try self.location.openReader(command: "deliveries stats")
        let query = self.filters.query(now: Date(), limit: 0)
        let statistics: DeliveryStatistics
        do {
            statistics = try await reader.statistics(matching: query)
        } catch {
            StandardError.write("hookgate deliveries stats: \(error)")
            throw ExitCode(1)
        }
        let since = query.receivedFrom.map(DeliveryTime.seconds)
        let until = query.receivedBefore.map(DeliveryTime.seconds)
        if self.json {
            print(Self.json(statistics, since: since, until: until).serialized())
        } else {
            print(Self.text(statistics, since: since, until: until), terminator: "")
        }
    }

    private static func text(_ statistics: DeliveryStatistics, since: String?, until: String?) -> String {
        let range =
            "received \(since.map { "from \($0)" } ?? "from the start") \(until.map { "until \($0)" } ?? "until now")"
        var out = "\(statistics.total) deliveries \(range)\n"
        func section(_ title: String, _ counts: [(String, Int)]) {
            guard !counts.isEmpty else { return }
            let width = counts.map(\.0.count).max() ?? 0
            let countWidth = counts.map { String($0.1).count }.max() ?? 0
            out += "\n\(title)\n"
            for (name, count) in counts {
                let number = String(count)
                out +=
                    "  " + name + String(repeating: " ", count: width - name.count) + "  "
                    + String(repeating: " ", count: countWidth - number.count) + number + "\n"
            }
        }
        section("by state", DeliveryState.allCases.map { ($0.rawValue, statistics.byState[$0] ?? 0) })
        section("by Stripe type", Self.sorted(statistics.byEventType))
        let without = statistics.withoutCatalogType > 0 ? [("(none)", statistics.withoutCatalogType)] : []
        section("by catalog type", Self.sorted(statistics.byCatalogType) + without)
        return out
    }

    private static func json(_ statistics: DeliveryStatistics, since: String?, until: String?) -> JSONValue {
        func counts(_ pairs: [(String, Int)]) -> JSONValue {
            .object(pairs.map { JSONValue.Member(key: $0.0, value: .integer(Int64($0.1))) })
        }
        return .object([
            JSONValue.Member(key: "total", value: .integer(Int64(statistics.total))),
            JSONValue.Member(key: "since", value: since.map(JSONValue.string) ?? .null),
            JSONValue.Member(key: "until", value: until.map(JSONValue.string) ?? .null),
            JSONValue.Member(
                key: "by_state",
                value: counts(DeliveryState.allCases.map { ($0.rawValue, statistics.byState[$0] ?? 0) })
            ),
            JSONValue.Member(key: "by_type", value: counts(Self.sorted(statistics.byEventType))),
            JSONValue.Member(key: "by_catalog_type", value: counts(Self.sorted(statistics.byCatalogType))),
            JSONValue.Member(key: "without_catalog_type", value: .integer(Int64(statistics.withoutCatalogType))),
        ])
    }

    /// Most first, then by name.
    private static func sorted(_ counts: [String: Int]) -> [(String, Int)] {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }
}
