import Foundation
import HookgateCore
import HookgateTestSupport
import Testing

/// The delivery API on the admin socket of a running gateway: list, show, replay.
@Suite(.onItsOwnThread, .timeLimit(.minutes(2)))
struct AdminDeliveriesAPITests {
    @Test func listShowAndReplayOverTheAdminSocket() async throws {
        let scenario = try DeliveryScenario()
        #expect(try scenario.send(["payment_intent.succeeded"]).status == 0)
        #expect(try scenario.send(["customer.created"]).status == 0)
        var listed: [JSONValue] = []
        let deadline = Date().addingTimeInterval(20)
        repeat {
            try await Task.sleep(for: .milliseconds(100))
            let (status, body) = try scenario.adminAPI("/deliveries")
            #expect(status == 200)
            if case .array(let deliveries)? = body["deliveries"] { listed = deliveries }
        } while listed.count < 2 && Date() < deadline
        #expect(listed.count == 2)

        let (skippedStatus, skipped) = try scenario.adminAPI("/deliveries?state=skipped&type=customer.created")
        #expect(skippedStatus == 200)
        guard case .array(let onlySkipped)? = skipped["deliveries"],
            case .integer(let skippedID)? = onlySkipped.first?["id"]
        else {
            Issue.record("no skipped delivery: \(skipped)")
            return
        }
        #expect(onlySkipped.count == 1)
        #expect(try scenario.adminAPI("/deliveries?state=bogus").0 == 400)

        let (shown, detail) = try scenario.adminAPI("/deliveries/\(skippedID)")
        #expect(shown == 200)
        #expect(detail["state"] == .string("skipped"))
        #expect(detail["event_id"] != nil)
        #expect(try scenario.adminAPI("/deliveries/999999").0 == 404)

        // Replay re-queues it: prepared again, and skipped again for the same reason (an unmapped type).
        let (replayed, answer) = try scenario.adminAPI("/replay", post: #"{"ids":[\#(skippedID),999999]}"#)
        #expect(replayed == 200)
        #expect(answer["requeued"] == .array([.integer(skippedID)]))
        #expect(answer["not_found"] == .array([.integer(999_999)]))
        let (_, after) = try scenario.adminAPI("/deliveries/\(skippedID)")
        #expect(after["replays"] == .integer(1))
        #expect(try scenario.adminAPI("/replay", post: "{}").0 == 400)
        #expect(try scenario.adminAPI("/replay").0 == 405)
    }
}
