import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

@testable import hookgate

/// `hookgate deliveries list | show | stats | export | purge` on real database files, through the real binary
/// (and the table and detail renderings in process, at 80 columns).
@Suite(.onItsOwnThread, .timeLimit(.minutes(2)))
struct DeliveriesCommandTests {
    /// Parses every line of `text` as a JSON object.
    private func jsonLines(_ text: String) throws -> [JSONValue] {
        try text.split(separator: "\n").map { line in
            let value = try JSONValueParser.parse(String(line))
            guard case .object = value else { throw GatewayProcessError(message: "not an object: \(line)") }
            return value
        }
    }

    private func ids(_ result: HookgateProcess.Result) throws -> [Int64] {
        try jsonLines(result.stdout).map {
            guard case .integer(let id) = $0["id"] else { throw GatewayProcessError(message: "no id") }
            return id
        }
    }

    /// The `attempts` of a listed delivery (0 without one).
    private func attempts(_ line: JSONValue?) -> Int64 {
        if case .integer(let count) = line?["attempts"] { count } else { 0 }
    }

    /// What a terminal of 80 columns shows for `list` and `show` of a delivery with three attempts: the event
    /// ids do not fit beside the whole types, so each has a line of its own; no id is ever cut.
    @Test func listAndShowLookRightAt80Columns() async throws {
        let fixture = try await DeliveriesFixture()
        let reader = try SQLiteDeliveryReader(path: fixture.storePath)
        let table = DeliveryTable.render(try await reader.deliveries(matching: DeliveryQuery()), width: 80)
        #expect(
            table == """
                ID RECEIVED             STATE      ATT ENDPOINT TYPE
                   EVENT
                 5 2026-11-26T09:04:00Z delivering   0 connect  payment_intent.succeeded
                   evt_3QmA1b2C3d4E5f6G7h8I9j0K
                 4 2026-11-26T09:03:00Z skipped      0 stripe   customer.created
                   evt_3QmD1b2C3d4E5f6G7h8I9j0K
                 3 2026-11-26T09:02:00Z pending      1 connect  charge.refunded
                   evt_3QmC1b2C3d4E5f6G7h8I9j0K
                 2 2026-11-26T09:01:00Z dead         1 stripe   payment_intent.payment_failed
                   evt_3QmB1b2C3d4E5f6G7h8I9j0K
                 1 2026-11-26T09:00:00Z delivered    3 stripe   payment_intent.succeeded
                   evt_3QmA1b2C3d4E5f6G7h8I9j0K

                """
        )
        let detail = DeliveryDetailText.render(try #require(try await reader.inspection(of: DeliveryID(1))))
        #expect(
            detail == """
                delivery 1
                  state         delivered
                  event         evt_3QmA1b2C3d4E5f6G7h8I9j0K
                  type          payment_intent.succeeded
                  catalog type  payment-succeeded
                  subject       pi_1
                  endpoint      stripe
                  created       2026-11-26T08:59:58.000Z
                  received      2026-11-26T09:00:00.123Z
                  peer          203.0.113.7:51231
                  verified by   key "current"
                  prepared      2026-11-26T09:05:00.000Z
                  signature     t=1795683598,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
                  content type  application/json; charset=utf-8
                  user agent    Stripe/1.0 (+https://stripe.com/docs/webhooks)
                  request id    req_1
                  body          89 bytes (--body prints them)

                attempts (3)
                     #  STARTED                   DURATION  RESULT
                     1  2026-11-26T09:05:00.000Z   12.3 ms  HTTP 503
                     2  2026-11-26T09:05:02.000Z   12.3 ms  upstream unreachable: timeout
                     3  2026-11-26T09:05:04.500Z   12.3 ms  HTTP 200

                messages (1)
                  application/cloudevents+json
                  {
                    "specversion": "1.0",
                    "type": "payment-succeeded",
                    "subject": "pi_1"
                  }

                """
        )
        // Only the signature (one header value, 83 characters) may pass 80 columns.
        #expect(table.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(detail.split(separator: "\n").filter { $0.count > 80 }.allSatisfy { $0.contains("signature") })
        // Piped, the binary prints every value whole, whatever $COLUMNS says.
        let listed = try fixture.run(["list"], environment: ["COLUMNS": "80"])
        #expect(listed.status == 0)
        #expect(
            listed.stdout == """
                ID RECEIVED             STATE      ATT ENDPOINT TYPE                          EVENT
                 5 2026-11-26T09:04:00Z delivering   0 connect  payment_intent.succeeded      evt_3QmA1b2C3d4E5f6G7h8I9j0K
                 4 2026-11-26T09:03:00Z skipped      0 stripe   customer.created              evt_3QmD1b2C3d4E5f6G7h8I9j0K
                 3 2026-11-26T09:02:00Z pending      1 connect  charge.refunded               evt_3QmC1b2C3d4E5f6G7h8I9j0K
                 2 2026-11-26T09:01:00Z dead         1 stripe   payment_intent.payment_failed evt_3QmB1b2C3d4E5f6G7h8I9j0K
                 1 2026-11-26T09:00:00Z delivered    3 stripe   payment_intent.succeeded      evt_3QmA1b2C3d4E5f6G7h8I9j0K

                """
        )
        let shown = try fixture.run(["show", "1"])
        #expect(shown.status == 0)
        #expect(shown.stdout == detail)
    }

    /// `list` on a real terminal of 80 columns (a pseudo-terminal from `script`): the width comes from the
    /// terminal, not from `$COLUMNS`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func listFitsARealTerminalOf80Columns() async throws {
        let fixture = try await DeliveriesFixture()
        let command =
            "stty cols 80 rows 24; \(HookgateProcess.executable.path) deliveries list --store \(fixture.storePath)"
        let session = try runTool("script", ["-q", "-c", command, "/dev/null"])
        #expect(session.status == 0, "\(session.output)")
        #expect(
            session.stdout.replacing("\r\n", with: "\n") == """
                ID RECEIVED             STATE      ATT ENDPOINT TYPE
                   EVENT
                 5 2026-11-26T09:04:00Z delivering   0 connect  payment_intent.succeeded
                   evt_3QmA1b2C3d4E5f6G7h8I9j0K
                 4 2026-11-26T09:03:00Z skipped      0 stripe   customer.created
                   evt_3QmD1b2C3d4E5f6G7h8I9j0K
                 3 2026-11-26T09:02:00Z pending      1 connect  charge.refunded
                   evt_3QmC1b2C3d4E5f6G7h8I9j0K
                 2 2026-11-26T09:01:00Z dead         1 stripe   payment_intent.payment_failed
                   evt_3QmB1b2C3d4E5f6G7h8I9j0K
                 1 2026-11-26T09:00:00Z delivered    3 stripe   payment_intent.succeeded
                   evt_3QmA1b2C3d4E5f6G7h8I9j0K

                """
        )
        // A wider terminal shows the full type and event id.
        let wide = try runTool("script", ["-q", "-c", command.replacing("cols 80", with: "cols 120"), "/dev/null"])
        #expect(wide.stdout.contains(" payment_intent.payment_failed \(DeliveriesFixture.eventIDs[1])\r\n"))
    }

    /// However narrow the terminal, every delivery id and event id is whole: the type and endpoint are cut
    /// first, and the event id moves to a line of its own when they cannot give enough.
    @Test(arguments: [40, 60, 80, 100, 120])
    func idsAreNeverCut(width: Int) async throws {
        let fixture = try await DeliveriesFixture()
        let reader = try SQLiteDeliveryReader(path: fixture.storePath)
        let table = DeliveryTable.render(try await reader.deliveries(matching: DeliveryQuery()), width: width)
        let words = table.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(Set(DeliveriesFixture.eventIDs).isSubset(of: words), "\(table)")
        #expect(Set((1...5).map(String.init)).isSubset(of: words), "\(table)")
        #expect(words.filter { $0.hasPrefix("evt_") }.allSatisfy { DeliveriesFixture.eventIDs.contains($0) })
        // 48 columns are the least a row can take (its event id on a line of its own, type and endpoint cut
        // to 4); from there on the table fits.
        if width >= 48 { #expect(table.split(separator: "\n").allSatisfy { $0.count <= width }, "\(table)") }
    }

    @Test func listJSONIsOneObjectPerLineWithTheKeysScriptsUse() async throws {
        let fixture = try await DeliveriesFixture()
        let result = try fixture.run(["list", "--json"])
        #expect(result.status == 0)
        let lines = try jsonLines(result.stdout)
        #expect(lines.count == 5)
        let keys = [
            "id", "event_id", "endpoint", "type", "catalog_type", "subject", "state", "attempts", "received_at",
            "next_attempt_at", "last_error", "skip_reason", "replays", "origin",
        ]
        for line in lines {
            guard case .object(let members) = line else { continue }
            #expect(members.map(\.key) == keys)
        }
        #expect(try ids(result) == [5, 4, 3, 2, 1])
        let first = lines[4]
        #expect(first["event_id"] == .string(DeliveriesFixture.eventIDs[0]))
        #expect(first["endpoint"] == .string("stripe"))
        #expect(first["type"] == .string("payment_intent.succeeded"))
        #expect(first["catalog_type"] == .string("payment-succeeded"))
        #expect(first["subject"] == .string("pi_1"))
        #expect(first["state"] == .string("delivered"))
        #expect(first["attempts"] == .integer(3))
        #expect(first["received_at"] == .string("2026-11-26T09:00:00.123Z"))
        #expect(lines[2]["next_attempt_at"] == .string("2026-11-27T12:46:40.000Z"))
        #expect(lines[2]["last_error"] == .string("upstream status 500"))
    }

    @Test func eachFilterSelectsItsDeliveries() async throws {
        let fixture = try await DeliveriesFixture()
        func list(_ arguments: [String]) throws -> [Int64] {
            let result = try fixture.run(["list", "--json"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return try ids(result)
        }
        #expect(try list(["--endpoint", "connect"]) == [5, 3])
        #expect(try list(["--state", "dead"]) == [2])
        #expect(try list(["--state", "delivering"]) == [5])
        #expect(try list(["--type", "payment_intent.succeeded"]) == [5, 1])
        #expect(try list(["--catalog-type", "refund-processed"]) == [3])
        #expect(try list(["--event", DeliveriesFixture.eventIDs[0]]) == [5, 1])
        #expect(try list(["--subject", "pi_1"]) == [5, 1])
        #expect(try list(["--since", "2026-11-26T09:01:00Z", "--until", "2026-11-26T09:03:00Z"]) == [3, 2])
        #expect(try list(["--since", "2026-11-26T10:01:00+01:00"]) == [5, 4, 3, 2])
        #expect(try list(["--limit", "2"]) == [5, 4])
        #expect(try list(["--endpoint", "stripe", "--subject", "pi_1"]) == [1])
        // An empty selection prints nothing on standard output, and says so on standard error.
        let empty = try fixture.run(["list", "--endpoint", "nowhere"])
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty)
        #expect(empty.stderr.contains("no deliveries match"))
    }

    /// A time ago (`30m`, `3d`) counts back from the binary's clock, the wall clock: so here the fixture is placed
    /// an hour or two before it (with the fixed epoch the answers would change with the date).
    @Test func aTimeAgoCountsBackFromNow() async throws {
        let fixture = try await DeliveriesFixture(t0: DeliveriesFixture.wallClockEpoch())
        func list(_ arguments: [String]) throws -> [Int64] {
            let result = try fixture.run(["list", "--json"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return try ids(result)
        }
        #expect(try list(["--since", "30m"]) == [])
        #expect(try list(["--until", "30m"]) == [5, 4, 3, 2, 1])
        #expect(try list(["--since", "3d"]) == [5, 4, 3, 2, 1])
        #expect(try list(["--until", "3d"]) == [])
        #expect(try list(["--since", "3d", "--until", "30m", "--endpoint", "connect"]) == [5, 3])
        let stats = try fixture.run(["stats", "--json", "--since", "3d"])
        #expect(try jsonLines(stats.stdout).first?["total"] == .integer(5))
        let recent = try fixture.run(["stats", "--json", "--since", "30m"])
        #expect(try jsonLines(recent.stdout).first?["total"] == .integer(0))
    }

    @Test func aBadFilterValueIsAUsageError() async throws {
        let fixture = try await DeliveriesFixture()
        let state = try fixture.run(["list", "--state", "bogus"])
        #expect(state.status == 2)
        #expect(
            state.stderr.contains("Please provide one of 'pending', 'delivering', 'delivered', 'skipped' or 'dead'"),
            "\(state.stderr)"
        )
        for arguments in [
            ["list", "--since", "yesterday"], ["list", "--limit", "0"], ["export", "--until", "2h ago"],
            ["stats", "--since", "1h", "--until", "2h"],
        ] {
            let result = try fixture.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func showFindsAnEventIDAndAsksWhichEndpointWhenSeveralHaveIt() async throws {
        let fixture = try await DeliveriesFixture()
        let ambiguous = try fixture.run(["show", DeliveriesFixture.eventIDs[0]])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("1 (stripe), 5 (connect)"))
        let chosen = try fixture.run(["show", DeliveriesFixture.eventIDs[0], "--endpoint", "connect", "--json"])
        #expect(chosen.status == 0)
        #expect(try jsonLines(chosen.stdout).first?["id"] == .integer(5))
        let unique = try fixture.run(["show", DeliveriesFixture.eventIDs[2], "--json"])
        #expect(try jsonLines(unique.stdout).first?["id"] == .integer(3))
        for missing in ["99", "evt_nope"] {
            let result = try fixture.run(["show", missing])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("no delivery \(missing)"))
        }
    }

    @Test func showJSONHasEveryAttemptTheMessagesTheKeyAndTheHeaders() async throws {
        let fixture = try await DeliveriesFixture()
        let result = try fixture.run(["show", "1", "--json"])
        #expect(result.status == 0)
        let lines = try jsonLines(result.stdout)
        #expect(lines.count == 1)
        let detail = try #require(lines.first)
        #expect(detail["key_label"] == .string("current"))
        #expect(detail["peer"] == .string("203.0.113.7:51231"))
        #expect(detail["headers"]?["request_id"] == .string("req_1"))
        #expect(detail["headers"]?["stripe_signature"]?.kindDescription == "a string")
        #expect(detail["body_bytes"] == .integer(Int64(DeliveriesFixture.body(1).count)))
        guard case .array(let attempts) = detail["attempt_log"] else {
            Issue.record("no attempt_log")
            return
        }
        #expect(attempts.map { $0["upstream_status"] } == [.integer(503), .null, .integer(200)])
        #expect(
            attempts.map { $0["started_at"] } == [
                .string("2026-11-26T09:05:00.000Z"), .string("2026-11-26T09:05:02.000Z"),
                .string("2026-11-26T09:05:04.500Z"),
            ]
        )
        #expect(attempts[1]["error"] == .string("upstream unreachable: timeout"))
        #expect(attempts[0]["duration_ms"] == .number(12.345))
        guard case .array(let messages) = detail["messages"] else {
            Issue.record("no messages")
            return
        }
        #expect(messages.first?["event"]?["type"] == .string("payment-succeeded"))
        #expect(messages.first?["content_type"] == .string("application/cloudevents+json"))
    }

    @Test func showBodyWritesTheStoredBytesAndNothingElse() async throws {
        let fixture = try await DeliveriesFixture()
        let result = try fixture.run(["show", "2", "--body"])
        #expect(result.status == 0)
        #expect(Data(result.stdout.utf8) == DeliveriesFixture.body(2))
        #expect(result.stderr.isEmpty)
        #expect(try fixture.run(["show", "2", "--body", "--json"]).status == 2)
    }

    @Test func statsCountByStateAndTypeOverARange() async throws {
        let fixture = try await DeliveriesFixture()
        let all = try fixture.run(["stats", "--json"])
        #expect(all.status == 0)
        let counts = try #require(try jsonLines(all.stdout).first)
        #expect(counts["total"] == .integer(5))
        for state in ["pending", "delivering", "delivered", "skipped", "dead"] {
            #expect(counts["by_state"]?[state] == .integer(1))
        }
        #expect(counts["by_type"]?["payment_intent.succeeded"] == .integer(2))
        #expect(counts["by_catalog_type"]?["payment-succeeded"] == .integer(2))
        #expect(counts["without_catalog_type"] == .integer(1))
        let range = try fixture.run(["stats", "--json", "--since", "2026-11-26T09:02:00Z"])
        let ranged = try #require(try jsonLines(range.stdout).first)
        #expect(ranged["total"] == .integer(3))
        #expect(ranged["since"] == .string("2026-11-26T09:02:00Z"))
        #expect(ranged["by_state"]?["dead"] == .integer(0))
        let text = try fixture.run(["stats"])
        #expect(text.stdout.hasPrefix("5 deliveries received from the start until now\n"))
        #expect(text.stdout.contains("  payment_intent.succeeded       2\n"))
    }

    @Test func exportPagesThroughEveryDeliveryWithByteExactBodies() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("export.sqlite").path
        let store = try SQLiteDeliveryStore.running(configuration: .init(path: path))
        let count = 1_203
        for n in 0..<count {
            _ = try await store.append(
                NewDelivery(
                    endpoint: n.isMultiple(of: 3) ? "connect" : "stripe",
                    eventID: "evt_\(n)",
                    eventType: "charge.refunded",
                    eventCreated: DeliveriesFixture.fixedEpoch,
                    receivedAt: DeliveriesFixture.fixedEpoch,
                    body: Data(#"{"id":"evt_\#(n)","note":"é\u{0}"}"#.utf8) + [0xFF]
                )
            )
        }
        await store.close()
        let all = try HookgateProcess.run(["deliveries", "export", "--store", path])
        #expect(all.status == 0)
        let lines = try jsonLines(all.stdout)
        #expect(lines.count == count)
        #expect(lines.map { $0["id"] } == (1...Int64(count)).map { .integer($0) })
        for (n, line) in lines.enumerated() where n.isMultiple(of: 100) {
            guard case .string(let encoded) = line["body_base64"] else {
                Issue.record("no body_base64")
                continue
            }
            #expect(Base64.decode(Substring(encoded)) == Array(#"{"id":"evt_\#(n)","note":"é\u{0}"}"#.utf8) + [0xFF])
            #expect(line["body"] == .null)
            #expect(line["event_id"] == .string("evt_\(n)"))
        }
        let some = try HookgateProcess.run([
            "deliveries", "export", "--store", path, "--endpoint", "connect", "--limit", "7",
        ])
        #expect(
            try jsonLines(some.stdout).map { $0["event_id"] }
                == stride(from: 0, to: 21, by: 3).map { .string("evt_\($0)") }
        )
    }

    @Test func theStoreIsFoundAsServeFindsItWithoutSecrets() async throws {
        let fixture = try await DeliveriesFixture()
        let config = """
            {"mode": "development", "endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe",
              "secrets": [{"label": "current", "env": "HOOKGATE_TEST_UNSET_SECRET"}]}],
             "store": {"path": "\(fixture.storePath)"}}
            """
        let configPath = try fixture.directory.write("hookgate.json", Array(config.utf8))
        let dataDirectory = fixture.directory.url.appendingPathComponent("data").path
        let ways: [([String], [String: String])] = [
            (["--config", configPath], [:]),
            ([], ["HOOKGATE_CONFIG": configPath]),
            ([], ["HOOKGATE_DATA_DIR": dataDirectory]),
        ]
        for (arguments, environment) in ways {
            let result = try HookgateProcess.run(
                ["deliveries", "list", "--json"] + arguments,
                environment: environment
            )
            #expect(result.status == 0, "\(arguments) \(environment): \(result.stderr)")
            #expect(try ids(result) == [5, 4, 3, 2, 1])
            #expect(result.stderr.isEmpty)
        }
        let missing = try HookgateProcess.run(
            ["deliveries", "list"],
            environment: ["HOOKGATE_DATA_DIR": fixture.directory.url.appendingPathComponent("nothing").path]
        )
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no database file"))
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.url.appendingPathComponent("nothing").path))
    }

    @Test func purgeRemovesExpiredDeliveriesWhileAnotherConnectionHoldsTheStore() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("purge.sqlite").path
        let store = try SQLiteDeliveryStore.running(configuration: .init(path: path))
        let old = Date().addingTimeInterval(-40 * 86_400)
        for n in 0..<5 {
            // Unrouted deliveries are skipped (finished) at once; routed ones stay pending.
            _ = try await store.append(
                NewDelivery(
                    endpoint: "stripe",
                    eventID: "evt_\(n)",
                    eventType: "customer.created",
                    eventCreated: old,
                    receivedAt: n == 4 ? Date() : old,
                    body: Data("{}".utf8),
                    isRouted: n == 3
                )
            )
        }
        let config = #"{"endpoints": [], "store": {"path": "\#(path)", "retention_days": 30}}"#
        let configPath = try directory.write("hookgate.json", Array(config.utf8))
        let result = try HookgateProcess.run(["deliveries", "purge", "--config", configPath])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("purged 3 finished deliveries received before "))
        // The store that stayed open sees what is left, and keeps working.
        #expect(try await store.deliveries(matching: DeliveryQuery()).map(\.received.eventID) == ["evt_4", "evt_3"])
        _ = try await store.append(
            NewDelivery(
                endpoint: "stripe",
                eventID: "evt_new",
                eventType: "x",
                eventCreated: Date(),
                receivedAt: Date(),
                body: Data("{}".utf8)
            )
        )
        await store.close()
        let again = try HookgateProcess.run(["deliveries", "purge", "--store", path])
        #expect(again.stdout.hasPrefix("purged 0 "))
        let missing = try HookgateProcess.run(["deliveries", "purge", "--store", path + ".nothing"])
        #expect(missing.status == 1)
        #expect(!FileManager.default.fileExists(atPath: path + ".nothing"))
    }
    /// On the live database of a running gateway (its upstream missing, so an attempt fails and the worker waits
    /// for it), then on the stopped gateway's file; the body from `show --body` verifies with the stored
    /// signature.
    @Test func worksBesideARunningGatewayAndAfterItStops() async throws {
        let scenario = try DeliveryScenario()
        #expect(try scenario.send(["payment_intent.succeeded"]).status == 0)
        let store = ["--store", scenario.storePath]
        var listed: [JSONValue] = []
        let deadline = Date().addingTimeInterval(20)
        repeat {
            try await Task.sleep(for: .milliseconds(100))
            let result = try HookgateProcess.run(["deliveries", "list", "--json"] + store)
            #expect(result.status == 0, "\(result.stderr)")
            listed = try jsonLines(result.stdout)
        } while Date() < deadline && self.attempts(listed.first) < 1
        let delivery = try #require(listed.first)
        #expect(listed.count == 1)
        #expect(delivery["catalog_type"] == .string("payment-succeeded"))
        guard case .integer(let id) = delivery["id"], case .string(let eventID) = delivery["event_id"] else {
            Issue.record("no id")
            return
        }
        let shown = try HookgateProcess.run(["deliveries", "show", eventID, "--json"] + store)
        #expect(shown.status == 0, "\(shown.stderr)")
        let detail = try #require(try jsonLines(shown.stdout).first)
        guard case .array(let attempts) = detail["attempt_log"] else {
            Issue.record("no attempt_log")
            return
        }
        #expect(attempts.count >= 1)
        #expect(attempts.allSatisfy { $0["upstream_status"] == .null && $0["error"] != .null })
        #expect(detail["key_label"] == .string("current"))
        guard case .string(let signature) = detail["headers"]?["stripe_signature"] else {
            Issue.record("no signature")
            return
        }
        let body = try HookgateProcess.run(["deliveries", "show", "\(id)", "--body"] + store)
        let verified = try HookgateProcess.run(
            ["verify", "--header", signature, "--secret", DeliveryScenario.secret, "--tolerance", "3600"],
            stdin: Array(body.stdout.utf8)
        )
        #expect(verified.status == 0, "\(verified.output)")
        let stats = try HookgateProcess.run(["deliveries", "stats", "--json"] + store)
        #expect(try jsonLines(stats.stdout).first?["total"] == .integer(1))
        try scenario.killGateway()
        let afterwards = try HookgateProcess.run(["deliveries", "list", "--json"] + store)
        #expect(afterwards.status == 0)
        #expect(try ids(afterwards) == [id])
    }
}
