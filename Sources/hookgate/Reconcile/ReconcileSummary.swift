import Foundation
import HookgateCore

/// What one reconciliation found and did, per endpoint.
struct ReconcileSummary: Sendable, Hashable {
    /// An event added (or, with `--dry-run`, that would be), without its body.
    struct Added: Sendable, Hashable {
        var id: String
        var type: String
        var created: Date
    }

    /// One endpoint's counts.
    struct Endpoint: Sendable, Hashable {
        var endpoint: String
        /// Events the API listed.
        var listed = 0
        /// Listed events the store already had (a webhook, or an earlier reconciliation).
        var alreadyHad = 0
        /// Listed events of the other mode than the endpoint accepts (`livemode`), left out as its webhooks are.
        var otherMode = 0
        /// The events added (with `--dry-run`: that would be added), newest first as listed.
        var added: [Added] = []
        /// Whether it was left alone because it receives thin events (``Reconciler``): nothing listed.
        var receivesThinEvents = false
    }

    /// Each endpoint reconciled, in configuration order.
    var endpoints: [Endpoint] = []
    /// Whether nothing was added because of `--dry-run`.
    var dryRun = false
    /// Set when the run stopped at its bound before listing every event: what was left unchecked.
    var incomplete: String?

    /// The totals over every endpoint: listed, already had, added.
    var totals: (listed: Int, alreadyHad: Int, added: Int) {
        self.endpoints.reduce((0, 0, 0)) { ($0.0 + $1.listed, $0.1 + $1.alreadyHad, $0.2 + $1.added.count) }
    }

    /// One line per endpoint: `stripe: listed 12, already had 9, added 3` (`would add` with `--dry-run`).
    var lines: [String] {
        self.endpoints.map { endpoint in
            if endpoint.receivesThinEvents {
                return "\(endpoint.endpoint): not reconciled: it receives thin events, which the Events API lists "
                    + "under other ids"
            }
            var line = "\(endpoint.endpoint): listed \(endpoint.listed), already had \(endpoint.alreadyHad), "
            line += "\(self.dryRun ? "would add" : "added") \(endpoint.added.count)"
            if endpoint.otherMode > 0 { line += ", other mode \(endpoint.otherMode)" }
            return line
        }
    }

    /// `--json`: `{"dry_run", "complete", "listed", "already_had", "added", "endpoints": [{"endpoint", "listed",
    /// "already_had", "other_mode", "added", "event_ids", "thin_events"}], "incomplete"}`.
    var json: JSONValue {
        let totals = self.totals
        return .object([
            member("dry_run", .bool(self.dryRun)),
            member("complete", .bool(self.incomplete == nil)),
            member("listed", .integer(Int64(totals.listed))),
            member("already_had", .integer(Int64(totals.alreadyHad))),
            member("added", .integer(Int64(totals.added))),
            member(
                "endpoints",
                .array(
                    self.endpoints.map { endpoint in
                        .object([
                            member("endpoint", .string(endpoint.endpoint)),
                            member("listed", .integer(Int64(endpoint.listed))),
                            member("already_had", .integer(Int64(endpoint.alreadyHad))),
                            member("other_mode", .integer(Int64(endpoint.otherMode))),
                            member("added", .integer(Int64(endpoint.added.count))),
                            member("event_ids", .array(endpoint.added.map { .string($0.id) })),
                            member("thin_events", .bool(endpoint.receivesThinEvents)),
                        ])
                    }
                )
            ),
            member("incomplete", self.incomplete.map(JSONValue.string) ?? .null),
        ])
    }

    private func member(_ key: String, _ value: JSONValue) -> JSONValue.Member {
        JSONValue.Member(key: key, value: value)
    }
}
