import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

@testable import hookgate

/// The commands API on the admin socket of a running gateway, over commands appended beside it through the real
/// store API (``CommandsFixture``, received a day after now: never due for its worker): list with every filter
/// and the cursor, count, detail, retry.
@Suite(.onItsOwnThread, .timeLimit(.minutes(2)))
struct AdminCommandsAPITests {
    /// The ids of a list answer, in order.
    func ids(_ body: JSONValue) -> [Int64] {
        guard case .array(let commands)? = body["commands"] else { return [] }
        return commands.compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }
    }

    @Test func listCountShowAndRetryOverTheAdminSocket() async throws {
        let scenario = try DeliveryScenario()
        let day = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        let t0 = Date(timeIntervalSince1970: day + 2 * 86_400)
        let store = try scenario.openStore()
        do {
            try await CommandsFixture.seed(store, t0: t0)
        } catch {
            await store.close()
            throw error
        }
        await store.close()

        let (status, all) = try scenario.adminAPI("/commands")
        #expect(status == 200)
        #expect(self.ids(all) == [4, 3, 2, 1] && all["next"] == nil)
        // Pages of 3 with the cursor.
        let (_, first) = try scenario.adminAPI("/commands?limit=3")
        #expect(self.ids(first) == [4, 3, 2])
        guard case .string(let next)? = first["next"] else {
            Issue.record("no next: \(first)")
            return
        }
        let (_, second) = try scenario.adminAPI("/commands?limit=3&before=\(next)")
        #expect(self.ids(second) == [1] && second["next"] == nil)
        // Each filter.
        let since = DeliveryTime.seconds(t0.addingTimeInterval(60))
        for (query, expected) in [
            ("state=dead", [2]), ("type=refund-requested", [3]), ("id=cmd-pay-2", [2]), ("subject=ord_1", [3, 1]),
            ("stripe_object=pi_1", [1]), ("since=\(since)", [4, 3, 2]), ("until=\(since)", [1]),
        ] as [(String, [Int64])] {
            let (status, body) = try scenario.adminAPI("/commands?\(query)")
            #expect(status == 200 && self.ids(body) == expected, "\(query): \(body)")
        }
        #expect(try scenario.adminAPI("/commands?state=bogus").0 == 400)
        #expect(try scenario.adminAPI("/commands?before=nope").1["error"] == .string("invalid_cursor"))
        #expect(try scenario.adminAPI("/commands?limit=0").0 == 400)
        #expect(try scenario.adminAPI("/commands/count?state=delivered").1["count"] == .integer(2))

        let (shown, detail) = try scenario.adminAPI("/commands/2")
        #expect(shown == 200)
        #expect(
            detail["command_id"] == .string("cmd-pay-2") && detail["request"]?["path"] == .string("/v1/payment_intents")
        )
        guard case .array(let attempts)? = detail["attempt_log"] else {
            Issue.record("no attempt log: \(detail)")
            return
        }
        #expect(attempts.count == 1 && attempts[0]["status"] == .integer(402))
        #expect(attempts[0]["response"]?["error"]?["code"] == .string("card_declined"))
        #expect(try scenario.adminAPI("/commands/999").0 == 404)
        #expect(try scenario.adminAPI("/commands/abc").1["error"] == .string("not_found"))

        // Retry: a delivered command is refused, the dead one is due again (the worker may take it at once).
        let (refused, refusal) = try scenario.adminAPI("/commands/1/retry", post: "{}")
        #expect(refused == 409 && refusal["error"] == .string("not_dead"))
        let (retried, answer) = try scenario.adminAPI("/commands/2/retry", post: "{}")
        #expect(retried == 200 && answer["requeued"] == .bool(true))
        let (_, after) = try scenario.adminAPI("/commands/2")
        #expect(after["state"] != .string("dead") || after["attempts"] != .integer(1))
        #expect(try scenario.adminAPI("/commands/999/retry", post: "{}").0 == 404)
        #expect(try scenario.adminAPI("/commands/2/retry").0 == 405)
        #expect(try scenario.adminAPI("/commands", post: "{}").0 == 405)
    }
}
