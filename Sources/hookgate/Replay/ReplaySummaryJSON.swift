import HookgateCore
import HookgateStore

/// `--json` without `--dry-run`: the summary as one object on standard output, with snake_case keys.
enum ReplaySummaryJSON {
    /// Re-queue mode: `requeued`, `busy` (ids), `not_found`, `failed` (`id`, `reason`), and `wait` with
    /// `delivered`, `failed` and `unfinished` when waited.
    static func requeue(_ tally: ReplayTally, waited outcome: ReplayWaiter.Outcome?) -> JSONValue {
        var members = [
            member("requeued", .integer(Int64(tally.requeued.count))),
            member("busy", self.ids(tally.busy)),
            member("not_found", .array(tally.notFound.map(JSONValue.string))),
            member("failed", self.failures(tally.failed)),
        ]
        if let outcome {
            let wait = JSONValue.object([
                member("delivered", .integer(Int64(outcome.delivered))),
                member("failed", self.failures(outcome.failed)),
                member("unfinished", self.ids(outcome.unfinished)),
            ])
            members.append(member("wait", wait))
        }
        return .object(members)
    }

    /// `--to-socket` and `--to-url`: `sent`, `delivered`, `failed` (`id`, `reason`), `sent_raw` (ids sent as
    /// the stored body because not prepared), `not_found`.
    static func send(_ tally: ReplaySendTally) -> JSONValue {
        .object([
            member("sent", .integer(Int64(tally.sent))),
            member("delivered", .integer(Int64(tally.delivered))),
            member("failed", self.failures(tally.failed)),
            member("sent_raw", self.ids(tally.sentRaw)),
            member("not_found", .array(tally.notFound.map(JSONValue.string))),
        ])
    }

    private static func ids(_ ids: [DeliveryID]) -> JSONValue {
        .array(ids.map { .integer($0.rawValue) })
    }

    private static func failures(_ failures: [(id: DeliveryID, reason: String)]) -> JSONValue {
        .array(
            failures.map { .object([member("id", .integer($0.id.rawValue)), member("reason", .string($0.reason))]) }
        )
    }

    private static func member(_ key: String, _ value: JSONValue) -> JSONValue.Member {
        JSONValue.Member(key: key, value: value)
    }
}
