import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate replay` through the real binary: on a stopped gateway's file, at volume, and beside a running
/// `serve` with a `sink` upstream.
@Suite(.onItsOwnThread, .timeLimit(.minutes(3)))
struct ReplayCommandTests {
    /// The bytes of the database file and of its write-ahead log (empty when there is none: a read-only
    /// connection to a closed WAL database creates an empty `-wal` file, which holds no change).
    private func fileBytes(_ storePath: String) throws -> [Data] {
        try ["", "-wal"].map { suffix in
            FileManager.default.fileExists(atPath: storePath + suffix)
                ? try Data(contentsOf: URL(fileURLWithPath: storePath + suffix)) : Data()
        }
    }

    /// The `deliveries` fixture placed an hour or two before the wall clock: `replay` re-queues as of its own
    /// clock, the wall clock, and leaves alone a delivery whose lease has not run out by it.
    private func fixture() async throws -> DeliveriesFixture {
        try await DeliveriesFixture(t0: DeliveriesFixture.wallClockEpoch())
    }

    private func record(_ id: Int64, in storePath: String) async throws -> DeliveryRecord {
        let reader = try SQLiteDeliveryReader(path: storePath)
        return try #require(try await reader.inspection(of: DeliveryID(id))).detail.record
    }

    /// Without ids or a filter nothing is selected: a usage error, not a replay of everything; ids and filters
    /// together are ambiguous.
    @Test func aReplayWithoutSelectionWithIDsAndFiltersOrABadRateIsAUsageError() async throws {
        let fixture = try await self.fixture()
        let none = try HookgateProcess.run(["replay", "--yes", "--store", fixture.storePath])
        #expect(none.status == 2)
        #expect(none.stderr.contains("select the deliveries to replay"))
        let rate = try HookgateProcess.run(["replay", "--state", "dead", "--rate", "0", "--store", fixture.storePath])
        #expect(rate.status == 2)
        let both = try HookgateProcess.run(["replay", "2", "--state", "dead", "--store", fixture.storePath])
        #expect(both.status == 2)
        #expect(both.stderr.contains("give ids or filters, not both"))
        #expect(try await self.record(2, in: fixture.storePath).replayCount == 0)
    }

    /// `--dry-run` lists the selection as a table or JSON lines and leaves the files byte-identical.
    @Test func aDryRunListsAndLeavesTheDatabaseByteIdentical() async throws {
        let fixture = try await self.fixture()
        let before = try self.fileBytes(fixture.storePath)
        let json = try HookgateProcess.run(
            ["replay", "--state", "dead", "--dry-run", "--json", "--store", fixture.storePath]
        )
        #expect(json.status == 0)
        #expect(json.stdout.split(separator: "\n").count == 1)
        #expect(json.stdout.contains(#""id":2"#))
        #expect(json.stderr.contains("dry run: would re-queue 1 deliveries; nothing changed"))
        let table = try HookgateProcess.run(
            ["replay", DeliveriesFixture.eventIDs[0], "--dry-run", "--store", fixture.storePath]
        )
        #expect(table.status == 0)
        #expect(table.stdout.split(separator: "\n").map { $0.split(separator: " ").first } == ["ID", "1", "5"])
        #expect(try self.fileBytes(fixture.storePath) == before)
        #expect(try await self.record(2, in: fixture.storePath).replayCount == 0)
    }

    /// By filter, by event id (narrowed by --endpoint) and by delivery id: each selected delivery becomes
    /// pending and due now, counted as a replay; an unknown id is reported and fails the run.
    @Test func replayRequeuesTheSelectionAsReplays() async throws {
        let fixture = try await self.fixture()
        let start = Date()
        let dead = try HookgateProcess.run(["replay", "--state", "dead", "--yes", "--store", fixture.storePath])
        #expect(dead.status == 0, "\(dead.stderr)")
        #expect(dead.stderr.contains("re-queued 1, busy 0, not found 0, failed 0"))
        let replayed = try await self.record(2, in: fixture.storePath)
        #expect(replayed.state == .pending)
        #expect(replayed.replayCount == 1)
        #expect(replayed.attemptCount == 1)
        #expect(try #require(replayed.nextAttemptAt) >= start.addingTimeInterval(-1))

        let event = try HookgateProcess.run(
            ["replay", "--event", DeliveriesFixture.eventIDs[0], "--endpoint", "stripe", "--store", fixture.storePath]
        )
        #expect(event.status == 0, "\(event.stderr)")
        #expect(try await self.record(1, in: fixture.storePath).replayCount == 1)
        #expect(try await self.record(5, in: fixture.storePath).replayCount == 0)

        let ids = try HookgateProcess.run(["replay", "4", "99", "--json", "--store", fixture.storePath])
        #expect(ids.status == 1)
        let summary = try JSONValueParser.parse(ids.stdout.trimmingCharacters(in: .newlines))
        #expect(summary["requeued"] == .integer(1))
        #expect(summary["not_found"] == .array([.string("99")]))
        #expect(summary["busy"] == .array([]))
        #expect(ids.stderr.contains("re-queued 1, busy 0, not found 1, failed 0"))
        #expect(ids.stderr.contains("not found: 99"))
        #expect(try await self.record(4, in: fixture.storePath).replayCount == 1)
    }

    /// A delivery a worker holds under an unexpired lease is left alone, counted busy, and the run fails.
    @Test func aLeasedDeliveryIsBusy() async throws {
        let fixture = try await self.fixture()
        let store = try SQLiteDeliveryStore.running(configuration: .init(path: fixture.storePath))
        // A worker's lease as of now by the wall clock, the clock `replay` checks leases against; of the fixture
        // (an hour or two old) only delivery 5, whose earlier lease ran out, is due.
        let leases = try await store.prepareAndClaim(now: Date(), leaseDuration: .seconds(60), limit: 10)
        await store.close()
        #expect(leases.map(\.record.id) == [DeliveryID(5)])
        let busy = try HookgateProcess.run(["replay", "5", "2", "--store", fixture.storePath])
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("re-queued 1, busy 1, not found 0, failed 0"))
        #expect(busy.stderr.contains("delivery_busy"))
        #expect(try await self.record(5, in: fixture.storePath).replayCount == 0)
    }

    /// 10,000 deliveries: without --yes and without a terminal it refuses (exit 2, nothing changed); with
    /// --yes and --rate 5000 it takes at least 2 s and re-queues every one.
    @Test func tenThousandDeliveriesAreConfirmedPacedAndCounted() async throws {
        let backlog = try await ReplayBacklog(count: 10_000)
        let refused = try backlog.replay(["--endpoint", "stripe"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("10000 deliveries selected"))
        #expect(refused.stderr.contains("--yes"))

        let clock = ContinuousClock()
        let start = clock.now
        let result = try backlog.replay(["--endpoint", "stripe", "--yes", "--rate", "5000"])
        let elapsed = clock.now - start
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("re-queued 10000, busy 0, not found 0, failed 0"))
        #expect(elapsed >= .milliseconds(1990))
        let reader = try SQLiteDeliveryReader(path: backlog.storePath)
        var replayed = 0
        var after: DeliveryCursor?
        while true {
            let page = try await reader.deliveries(matching: DeliveryQuery(), after: after, pageSize: 1000)
            replayed += page.filter { $0.replayCount == 1 }.count
            guard let last = page.last else { break }
            after = DeliveryCursor(last)
        }
        #expect(replayed == 10_000)
    }

    /// A dead delivery replayed (by `--state dead`, the store found through the configuration and
    /// HOOKGATE_DATA_DIR as serve finds it) with --wait: dead again while the sink still refuses it, then, after
    /// the sink is fixed, delivered exactly once while other events keep arriving.
    @Test func aDeadDeliveryReplayedAfterTheSinkIsFixedArrivesOnce() async throws {
        let scenario = try DeliveryScenario()
        let failing = try scenario.startSink(["--status", "400"])
        #expect(try scenario.send(["payment_intent.payment_failed"]).status == 0)
        let store = try scenario.openStore()
        let dead = try #require(try await store.waitUntilAll(1) { $0.state == .dead }.first)
        let replay = {
            try HookgateProcess.run(
                [
                    "replay", "--state", "dead", "--yes", "--wait", "--wait-timeout", "20", "--config",
                    scenario.configPath,
                ],
                environment: ["HOOKGATE_DATA_DIR": scenario.directory.url.appendingPathComponent("data").path]
            )
        }
        let refused = try replay()
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("re-queued 1, busy 0, not found 0, failed 0"))
        #expect(refused.stderr.contains("delivered 0, failed 1, unfinished 0"))
        #expect(refused.stderr.contains("delivery \(dead.id) dead: upstream status 400"))
        #expect(try failing.stop() == 0)

        let sink = try scenario.startSink()
        let load = Task.detached {
            try scenario.send(["payment_intent.succeeded", "--count", "200", "--concurrency", "4"])
        }
        let replayed = try replay()
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(replayed.stderr.contains("re-queued 1, busy 0, not found 0, failed 0"))
        #expect(replayed.stderr.contains("delivered 1, failed 0, unfinished 0"))
        #expect(try await load.value.status == 0)

        let finished = try await store.waitUntilAll(201) { $0.state == .delivered }
        _ = try sink.waitForRecords(201)
        // Longer than the longest backoff (cap_seconds 1): a second arrival would show.
        try await Task.sleep(for: .milliseconds(1500))
        let detail = try #require(try await store.delivery(dead.id))
        await store.close()
        #expect(finished.count == 201)
        #expect(detail.record.replayCount == 2)
        #expect(detail.attempts.map(\.report.upstreamStatus) == [400, 400, 200])
        #expect(sink.records.filter { $0.deliveryID == dead.id.rawValue }.map(\.status) == [200])
    }
}

/// `hookgate replay --to-socket`: sends now to another socket, as the worker sends, and records nothing.
extension ReplayCommandTests {
    @Test func toSocketSendsThePreparedEventsNowAndRecordsNothing() async throws {
        let fixture = try await self.fixture()
        let socket = fixture.directory.url.appendingPathComponent("staging.sock").path
        let sink = try SinkProcess(
            directory: fixture.directory.url,
            arguments: ["--socket", socket, "--format", "json"]
        )
        let before = try self.fileBytes(fixture.storePath)
        let result = try HookgateProcess.run(["replay", "2", "4", "--to-socket", socket, "--store", fixture.storePath])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("sent 2, delivered 2, failed 0"))
        #expect(result.stderr.contains("sent as the stored body (not prepared by the gateway): 4"))
        let records = try sink.waitForRecords(2)
        #expect(records.map(\.deliveryID) == [2, 4])
        #expect(records.map(\.attempt) == [2, 1])
        #expect(records.map(\.contentType) == ["application/cloudevents+json", "application/json; charset=utf-8"])
        #expect(records[0].attribute("subject") == "pi_2")

        let raw = try HookgateProcess.run(["replay", "2", "--raw", "--to-socket", socket, "--store", fixture.storePath])
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(try sink.waitForRecords(3).last?.contentType == "application/json; charset=utf-8")
        #expect(try self.fileBytes(fixture.storePath) == before)
        #expect(try await self.record(2, in: fixture.storePath).replayCount == 0)
    }

    @Test func toSocketReportsRefusalsAndFails() async throws {
        let fixture = try await self.fixture()
        let socket = fixture.directory.url.appendingPathComponent("staging.sock").path
        let sink = try SinkProcess(
            directory: fixture.directory.url,
            arguments: ["--socket", socket, "--format", "json", "--status", "400"]
        )
        let result = try HookgateProcess.run([
            "replay", "--state", "dead", "--to-socket", socket, "--json", "--store", fixture.storePath,
        ])
        #expect(result.status == 1)
        let summary = try JSONValueParser.parse(result.stdout.trimmingCharacters(in: .newlines))
        #expect(summary["sent"] == .integer(1))
        #expect(summary["delivered"] == .integer(0))
        let failure = JSONValue.object([
            JSONValue.Member(key: "id", value: .integer(2)),
            JSONValue.Member(key: "reason", value: .string("upstream status 400")),
        ])
        #expect(summary["failed"] == .array([failure]))
        #expect(result.stderr.contains("sent 1, delivered 0, failed 1"))
        #expect(result.stderr.contains("delivery 2 failed: upstream status 400"))
        #expect(try sink.waitForRecords(1).map(\.status) == [400])
        let raw = try HookgateProcess.run(["replay", "--state", "dead", "--raw", "--store", fixture.storePath])
        #expect(raw.status == 2)
    }
}

/// `hookgate replay --to-url`: another gateway with another secret accepts the re-signed stored bodies.
extension ReplayCommandTests {
    /// A second `serve` whose endpoint `stripe` verifies with `secret` (from STAGING_WEBHOOK_SECRET).
    private func startStagingGateway(in directory: TemporaryDirectory, secret: String) throws -> GatewayProcess {
        let config = """
            {
              "mode": "development",
              "listen": ["127.0.0.1:0"],
              "endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe",
                             "secrets": [{"label": "staging", "env": "STAGING_WEBHOOK_SECRET"}]}]
            }
            """
        let configPath = try directory.write("staging.json", Array(config.utf8))
        return try GatewayProcess(
            directory: directory.url,
            arguments: ["--config", configPath],
            environment: [
                "STAGING_WEBHOOK_SECRET": secret,
                "HOOKGATE_DATA_DIR": directory.url.appendingPathComponent("data").path,
                "HOOKGATE_UPSTREAM_SOCKET": directory.url.appendingPathComponent("data/payments.sock").path,
            ]
        )
    }

    @Test func toURLReSignsTheStoredBodiesForAnotherGateway() async throws {
        let backlog = try await ReplayBacklog(count: 3)
        let staging = try TemporaryDirectory()
        let secret = "whsec_hookgateStagingReplay0001"
        let gateway = try self.startStagingGateway(in: staging, secret: secret)
        let url = "https://127.0.0.1:\(gateway.port)/webhooks/stripe"
        let start = Int64(Date().timeIntervalSince1970)

        let result = try backlog.replay(
            ["--endpoint", "stripe", "--to-url", url, "--insecure", "--secret-env", "REPLAY_SECRET"],
            environment: ["REPLAY_SECRET": secret]
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("sent 3, delivered 3, failed 0"))
        let wrong = try backlog.replay(
            ["1", "--to-url", url, "--insecure", "--secret-env", "REPLAY_SECRET"],
            environment: ["REPLAY_SECRET": "whsec_notTheStagingSecret000001"]
        )
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("sent 1, delivered 0, failed 1"))

        let original = try await SQLiteDeliveryReader(path: backlog.storePath).deliveries(matching: DeliveryQuery())
        let received = try await SQLiteDeliveryReader(
            path: staging.url.appendingPathComponent("data/hookgate.sqlite").path
        ).deliveries(matching: DeliveryQuery())
        #expect(received.count == 3)
        #expect(Set(received.map(\.received.body)) == Set(original.map(\.received.body)))
        #expect(received.allSatisfy { $0.received.keyLabel == "staging" })
        for record in received {
            let signature = try #require(record.received.headers.signature)
            let timestamp = try #require(Int64(signature.dropFirst(2).prefix { $0 != "," }))
            #expect(timestamp >= start)
        }
        #expect(try await self.record(1, in: backlog.storePath).replayCount == 0)
    }
}

/// `hookgate replay` on a real terminal (a pseudo-terminal from `script`): the question and the progress bar.
extension ReplayCommandTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalItAsksAndShowsProgress() async throws {
        let backlog = try await ReplayBacklog(count: 150)
        let command =
            "\(HookgateProcess.executable.path) replay --endpoint stripe --rate 300 --store \(backlog.storePath)"
        let declined = try runTool("script", ["-q", "-e", "-c", command, "/dev/null"], stdin: Array("n\n".utf8))
        #expect(declined.status == 1, "\(declined.output)")
        #expect(declined.stdout.contains("replay 150 deliveries? [y/N]"))
        #expect(declined.stdout.contains("nothing replayed"))
        #expect(try await self.record(1, in: backlog.storePath).replayCount == 0)

        let confirmed = try runTool("script", ["-q", "-e", "-c", command, "/dev/null"], stdin: Array("y\n".utf8))
        #expect(confirmed.status == 0, "\(confirmed.output)")
        #expect(confirmed.stdout.contains("] 150/150 (failed 0) "))
        #expect(confirmed.stdout.contains("ETA"))
        #expect(confirmed.stdout.contains("re-queued 150, busy 0, not found 0, failed 0"))
        #expect(try await self.record(150, in: backlog.storePath).replayCount == 1)
    }
}
