import Foundation
import HookgateCore
import HookgateTestSupport
import Testing

/// The delivery API on the admin socket of a running gateway: list, show, replay.
@Suite(.onItsOwnThread, .timeLimit(.minutes(2)))
struct AdminDeliveriesAPITests {
    /// `curl` over the admin socket; the status and the parsed JSON body.
    func admin(_ scenario: DeliveryScenario, _ path: String, post body: String? = nil) throws -> (Int, JSONValue) {
        let socket = scenario.directory.url.appendingPathComponent("data/admin.sock").path
        var arguments = ["-s", "-w", "\n%{http_code}", "--unix-socket", socket, "http://admin\(path)"]
        if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try HookgateProcess.run(executable: URL(fileURLWithPath: "/usr/bin/curl"), arguments: arguments)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int(lines.last ?? "") ?? 0
        let json = try JSONValueParser.parse(Array(lines.dropLast().joined(separator: "\n").utf8))
        return (status, json)
    }

    @Test func listShowAndReplayOverTheAdminSocket() async throws {
        let scenario = try DeliveryScenario()
        #expect(try scenario.send(["payment_intent.succeeded"]).status == 0)
        #expect(try scenario.send(["customer.created"]).status == 0)
        var listed: [JSONValue] = []
        let deadline = Date().addingTimeInterval(20)
        repeat {
            try await Task.sleep(for: .milliseconds(100))
            let (status, body) = try self.admin(scenario, "/deliveries")
            #expect(status == 200)
            if case .array(let deliveries)? = body["deliveries"] { listed = deliveries }
        } while listed.count < 2 && Date() < deadline
        #expect(listed.count == 2)

        let (skippedStatus, skipped) = try self.admin(scenario, "/deliveries?state=skipped&type=customer.created")
        #expect(skippedStatus == 200)
        guard case .array(let onlySkipped)? = skipped["deliveries"],
            case .integer(let skippedID)? = onlySkipped.first?["id"]
        else {
            Issue.record("no skipped delivery: \(skipped)")
            return
        }
        #expect(onlySkipped.count == 1)
        #expect(try self.admin(scenario, "/deliveries?state=bogus").0 == 400)

        let (shown, detail) = try self.admin(scenario, "/deliveries/\(skippedID)")
        #expect(shown == 200)
        #expect(detail["state"] == .string("skipped"))
        #expect(detail["event_id"] != nil)
        #expect(try self.admin(scenario, "/deliveries/999999").0 == 404)

        // Replay re-queues it: prepared again, and skipped again for the same reason (an unmapped type).
        let (replayed, answer) = try self.admin(scenario, "/replay", post: #"{"ids":[\#(skippedID),999999]}"#)
        #expect(replayed == 200)
        #expect(answer["requeued"] == .array([.integer(skippedID)]))
        #expect(answer["not_found"] == .array([.integer(999_999)]))
        let (_, after) = try self.admin(scenario, "/deliveries/\(skippedID)")
        #expect(after["replays"] == .integer(1))
        #expect(try self.admin(scenario, "/replay", post: "{}").0 == 400)
        #expect(try self.admin(scenario, "/replay").0 == 405)
    }
}
