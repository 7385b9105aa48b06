import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// The dashboard's JSON on the admin socket of a running gateway with a real store: pages and counts, the raw
/// body, re-verification, replay by filter, the overview and the endpoints; bad input answered with a clear
/// error and nothing stored changed.
@Suite(.onItsOwnThread, .timeLimit(.minutes(3)))
struct AdminDashboardAPITests {
    /// One answer of the admin socket: status, header fields (names lowercased) and the body's bytes.
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        /// The body parsed as JSON (`null` when it is not JSON).
        var json: JSONValue { (try? JSONValueParser.parse(self.body)) ?? .null }
        /// The body as text.
        var text: String { String(decoding: self.body, as: UTF8.self) }
    }

    /// `curl` over the admin socket: GET, or POST of `body` (JSON).
    func admin(_ scenario: DeliveryScenario, _ path: String, post body: String? = nil) throws -> Answer {
        let socket = scenario.directory.url.appendingPathComponent("data/admin.sock").path
        let name = UUID().uuidString
        let headerFile = scenario.directory.url.appendingPathComponent("\(name).headers").path
        let bodyFile = scenario.directory.url.appendingPathComponent("\(name).body").path
        var arguments = ["-s", "-D", headerFile, "-o", bodyFile, "--unix-socket", socket, "http://admin\(path)"]
        if let body { arguments += ["-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try HookgateProcess.run(executable: URL(fileURLWithPath: "/usr/bin/curl"), arguments: arguments)
        #expect(result.status == 0, "\(result.output)")
        let head = try String(contentsOfFile: headerFile, encoding: .utf8)
        let lines = head.split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        let bytes = FileManager.default.contents(atPath: bodyFile).map { [UInt8]($0) } ?? []
        return Answer(status: status, headers: headers, body: bytes)
    }

    /// Sends `count` events of `type` and waits until the store holds `total` deliveries.
    func send(_ type: String, count: Int, in scenario: DeliveryScenario, total: Int) async throws {
        let sent = try scenario.send([type, "--count", "\(count)"])
        #expect(sent.status == 0, "\(sent.output)")
        let store = try scenario.openStore()
        defer { Task { await store.close() } }
        _ = try await store.waitUntilAll(total) { _ in true }
    }

    /// The ids of a list answer.
    func ids(_ answer: Answer) -> [Int64] {
        guard case .array(let deliveries)? = answer.json["deliveries"] else { return [] }
        return deliveries.compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }
    }

    /// The error code of an error answer.
    func code(_ answer: Answer) -> String? {
        if case .string(let code)? = answer.json["error"] { code } else { nil }
    }

    @Test func pagesCountsBodiesAndVerification() async throws {
        let scenario = try DeliveryScenario()
        try await self.send("payment_intent.succeeded", count: 5, in: scenario, total: 5)
        try await self.send("customer.created", count: 2, in: scenario, total: 7)

        // Pages of 3 with the cursor: every delivery once, newest first, as the whole list.
        let whole = try self.admin(scenario, "/deliveries")
        #expect(whole.status == 200)
        #expect(whole.json["next"] == nil)
        #expect(self.ids(whole).count == 7)
        var paged: [Int64] = []
        var path = "/deliveries?limit=3"
        var pages = 0
        while true {
            let page = try self.admin(scenario, path)
            #expect(page.status == 200)
            paged += self.ids(page)
            pages += 1
            guard case .string(let next)? = page.json["next"] else { break }
            path = "/deliveries?limit=3&before=\(next)"
        }
        #expect(pages == 3)
        #expect(paged == self.ids(whole))
        let skippedPage = try self.admin(scenario, "/deliveries?state=skipped&limit=1")
        #expect(self.ids(skippedPage).count == 1)
        #expect(skippedPage.json["next"] != nil)

        #expect(try self.admin(scenario, "/deliveries/count").json["count"] == .integer(7))
        #expect(try self.admin(scenario, "/deliveries/count?type=customer.created").json["count"] == .integer(2))
        #expect(try self.admin(scenario, "/deliveries/count?state=skipped&limit=1").json["count"] == .integer(2))

        // Bad input: a clear error code each.
        for (path, code) in [
            ("/deliveries?before=12.x", "invalid_cursor"), ("/deliveries?before=1.2.3", "invalid_cursor"),
            ("/deliveries?limit=0", "invalid_filter"), ("/deliveries?limit=1001", "invalid_filter"),
            ("/deliveries/count?state=bogus", "invalid_filter"),
            ("/deliveries/count?since=yesterday", "invalid_filter"),
            ("/deliveries/count?endpoint=\(String(repeating: "e", count: 300))", "invalid_filter"),
            ("/deliveries/999999/body", "not_found"), ("/deliveries/nope/body", "not_found"),
        ] {
            let answer = try self.admin(scenario, path)
            #expect(answer.status == (code == "not_found" ? 404 : 400), "\(path)")
            #expect(self.code(answer) == code, "\(path): \(answer.text)")
        }
        #expect(try self.admin(scenario, "/deliveries/count", post: "{}").status == 405)

        // The body, byte for byte, as a download.
        let store = try scenario.openStore()
        let record = try #require(try await store.all().first { $0.received.eventType == "payment_intent.succeeded" })
        await store.close()
        let body = try self.admin(scenario, "/deliveries/\(record.id.rawValue)/body")
        #expect(body.status == 200)
        #expect(body.body == [UInt8](record.received.body))
        #expect(body.headers["content-type"] == "application/octet-stream")
        #expect(body.headers["content-disposition"] == "attachment; filename=\"delivery-\(record.id.rawValue).json\"")

        // Verify now: the key label, never the secret or the signature.
        let verified = try self.admin(scenario, "/deliveries/\(record.id.rawValue)/verify", post: "")
        #expect(verified.status == 200)
        #expect(verified.json["valid"] == .bool(true))
        #expect(verified.json["key"] == .string("current"))
        let signature = try #require(record.received.headers.signature)
        let v1 = try #require(signature.firstMatch(of: /v1=([0-9a-f]+)/)).1
        #expect(!verified.text.contains(DeliveryScenario.secret))
        #expect(!verified.text.contains(String(v1)))
        #expect(try self.admin(scenario, "/deliveries/999999/verify", post: "").status == 404)

        // The detail the pages read: the signature header's timestamp, never its values.
        let detail = try self.admin(scenario, "/deliveries/\(record.id.rawValue)")
        #expect(detail.status == 200)
        #expect(!detail.text.contains(String(v1)))
        let timestamp = try #require(signature.firstMatch(of: /t=([0-9]+)/)).1
        #expect(detail.json["headers"]?["stripe_signature"] == .string("t=\(timestamp),v1=(redacted)"))
        #expect(try self.admin(scenario, "/deliveries/\(record.id.rawValue)/verify").status == 405)

        // The endpoints: labels and how often they verified, no secret.
        let endpoints = try self.admin(scenario, "/endpoints")
        #expect(endpoints.status == 200)
        #expect(!endpoints.text.contains(DeliveryScenario.secret))
        guard case .array(let list)? = endpoints.json["endpoints"], let stripe = list.first else {
            Issue.record("no endpoint: \(endpoints.text)")
            return
        }
        #expect(stripe["path"] == .string("/webhooks/stripe"))
        #expect(stripe["scheme"] == .string("stripe"))
        #expect(
            stripe["keys"]
                == .array([
                    .object([
                        .init(key: "label", value: .string("current")), .init(key: "expires_at", value: .null),
                        .init(key: "active", value: .bool(true)),
                    ])
                ])
        )
        guard case .array(let recent)? = stripe["recent"], let used = recent.first else {
            Issue.record("no recent key: \(endpoints.text)")
            return
        }
        #expect(used["label"] == .string("current"))
        #expect(used["count"] == .integer(7))
    }

    @Test func replayByFilterRefusesTooManyAndBadFiltersChangingNothing() async throws {
        let scenario = try DeliveryScenario()
        try await self.send("customer.created", count: 2, in: scenario, total: 2)
        // 1,001 more, unrouted (skipped at once), put in the store while the gateway is down: 1,001 write
        // transactions from a second process beside its writer and checkpointer were once refused as
        // "database is locked" on a loaded machine.
        let store = try scenario.openStore()
        _ = try await store.waitUntilAll(2) { $0.state == .skipped }
        try scenario.killGateway()
        for n in 0..<1_001 {
            _ = try await store.append(
                NewDelivery(
                    endpoint: "bulk",
                    eventID: "evt_bulk_\(n)",
                    eventType: "charge.refunded",
                    eventCreated: Date(),
                    receivedAt: Date(),
                    body: Data(#"{"id":"evt_bulk_\#(n)"}"#.utf8),
                    isRouted: false
                )
            )
        }
        let bulkBefore = try await store.deliveries(matching: DeliveryQuery(endpoint: "bulk", limit: 2_000))
        #expect(bulkBefore.count == 1_001)
        try scenario.restartGateway()

        for (body, code) in [
            (#"{"filter":{"endpoint":"bulk"}}"#, "selection_too_large"),
            (#"{"filter":{}}"#, "invalid_filter"), (#"{"filter":{"stat":"dead"}}"#, "invalid_filter"),
            (#"{"filter":{"state":"bogus"}}"#, "invalid_filter"), (#"{"filter":{"state":1}}"#, "invalid_filter"),
            (#"{"filter":"dead"}"#, "invalid_filter"), (#"{"filter":{"state":"dead"},"ids":[1]}"#, "invalid_request"),
            ("[" + String(repeating: "1,", count: 10) + "1]", "invalid_request"),
            (#"{"ids":[\#((1...1_001).map(String.init).joined(separator: ","))]}"#, "invalid_request"),
        ] {
            let answer = try self.admin(scenario, "/replay", post: body)
            #expect(answer.status == 400, "\(body.prefix(60))")
            #expect(self.code(answer) == code, "\(body.prefix(60)): \(answer.text)")
            if code == "selection_too_large" { #expect(answer.text.contains("1001 deliveries match")) }
        }
        let bulkAfter = try await store.deliveries(matching: DeliveryQuery(endpoint: "bulk", limit: 2_000))
        #expect(bulkAfter == bulkBefore)

        // A filter that matches few: all re-queued as replays, and said how many.
        let replayed = try self.admin(
            scenario,
            "/replay",
            post: #"{"filter":{"type":"customer.created","state":"skipped"}}"#
        )
        #expect(replayed.status == 200, "\(replayed.text)")
        #expect(replayed.json["matched"] == .integer(2))
        guard case .array(let requeued)? = replayed.json["requeued"] else {
            Issue.record("no requeued: \(replayed.text)")
            return
        }
        #expect(requeued.count == 2)
        let replays = try await store.deliveries(matching: DeliveryQuery(eventType: "customer.created"))
        #expect(replays.map(\.replayCount) == [1, 1])
        #expect(try await store.deliveries(matching: DeliveryQuery(endpoint: "bulk", limit: 2_000)) == bulkBefore)
        await store.close()
    }

    @Test func overviewCountsStatesMinutesRejectionsAndTheUpstream() async throws {
        let scenario = try DeliveryScenario()
        try await self.send("payment_intent.succeeded", count: 3, in: scenario, total: 3)
        let forged = try HookgateProcess.run(
            [
                "send", "payment_intent.succeeded", "--secret", "whsec_notTheGatewaysSecret00", "--insecure", "--url",
                "https://127.0.0.1:\(scenario.gateway.port)/webhooks/stripe",
            ]
        )
        #expect(forged.status != 0)

        // No payment system yet: the worker finds its socket refusing and says it is away.
        var overview = try self.admin(scenario, "/overview")
        let deadline = Date().addingTimeInterval(20)
        while overview.json["upstream"]?["status"] != .string("away"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            overview = try self.admin(scenario, "/overview")
        }
        #expect(overview.status == 200)
        #expect(overview.json["upstream"]?["status"] == .string("away"))
        #expect(overview.json["rejections"]?["signature_mismatch"] == .integer(1))
        #expect(overview.json["accepted"]?["ok"] == .integer(3))
        #expect(overview.json["minutes"] == .integer(60))
        guard case .array(let received)? = overview.json["received_per_minute"],
            case .array(let delivered)? = overview.json["delivered_per_minute"],
            case .object(let states)? = overview.json["states"]
        else {
            Issue.record("not an overview: \(overview.text)")
            return
        }
        #expect(received.count == 60 && delivered.count == 60)
        #expect(received.reduce(0) { if case .integer(let n) = $1 { $0 + n } else { $0 } } == 3)
        #expect(states.map(\.key) == ["pending", "delivering", "delivered", "skipped", "dead"])
        #expect(overview.json["latency_ms"] == .null)

        // The payment system comes: delivered, with a latency, and the upstream up.
        let sink = try scenario.startSink()
        defer { _ = try? sink.stop() }
        let store = try scenario.openStore()
        _ = try await store.waitUntilAll(3) { $0.state == .delivered }
        await store.close()
        overview = try self.admin(scenario, "/overview?minutes=5")
        #expect(overview.json["upstream"]?["status"] == .string("up"))
        #expect(overview.json["states"]?["delivered"] == .integer(3))
        #expect(overview.json["latency_ms"]?["sample"] == .integer(3))
        guard case .array(let deliveredNow)? = overview.json["delivered_per_minute"] else {
            Issue.record("no delivered_per_minute: \(overview.text)")
            return
        }
        #expect(deliveredNow.count == 5)
        #expect(deliveredNow.reduce(0) { if case .integer(let n) = $1 { $0 + n } else { $0 } } == 3)

        for path in ["/overview?minutes=0", "/overview?minutes=1441", "/overview?minutes=x"] {
            let answer = try self.admin(scenario, path)
            #expect(answer.status == 400)
            #expect(self.code(answer) == "invalid_request")
        }
        #expect(try self.admin(scenario, "/overview", post: "{}").status == 405)
    }

    @Test func endpointsAndVerifyFollowAReloadedKeyRotation() async throws {
        let scenario = try DeliveryScenario()
        try await self.send("payment_intent.succeeded", count: 1, in: scenario, total: 1)
        let store = try scenario.openStore()
        let id = try #require(try await store.all().first?.id.rawValue)
        await store.close()

        // Rotation: "current" expired an hour ago, "next" took over; SIGHUP puts it in force.
        let expired = Int64(Date().timeIntervalSince1970) - 3600
        let rotated = KeyRotationConfiguration.text(expired: expired)
        try Data(rotated.utf8).write(to: URL(fileURLWithPath: scenario.configPath))
        scenario.gateway.send(SIGHUP)
        func keyList(_ answer: Answer) -> [JSONValue] {
            guard case .array(let endpoints)? = answer.json["endpoints"],
                case .array(let keys)? = endpoints.first?["keys"]
            else { return [] }
            return keys
        }
        var endpoints = try self.admin(scenario, "/endpoints")
        let deadline = Date().addingTimeInterval(20)
        while keyList(endpoints).count < 2, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            endpoints = try self.admin(scenario, "/endpoints")
        }
        #expect(!endpoints.text.contains("whsec_"))
        let keys = keyList(endpoints)
        guard keys.count == 2 else {
            Issue.record("the reload did not show: \(endpoints.text)")
            return
        }
        #expect(keys[0]["label"] == .string("current"))
        #expect(keys[0]["expires_at"] == .string(UnixTime.rfc3339(expired)))
        #expect(keys[0]["active"] == .bool(false))
        #expect(keys[1]["label"] == .string("next"))
        #expect(keys[1]["active"] == .bool(true))

        let verified = try self.admin(scenario, "/deliveries/\(id)/verify", post: "")
        #expect(verified.status == 200)
        #expect(verified.json["valid"] == .bool(false))
        #expect(verified.json["error"] == .string("secret_expired"), "\(verified.text)")
        #expect(verified.text.contains("current"))
        #expect(!verified.text.contains("whsec_"))
    }
}
