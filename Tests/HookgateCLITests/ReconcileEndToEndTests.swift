import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate emulate --drop 0.5` → a real `hookgate serve` → a real `hookgate sink`, then `hookgate reconcile`
/// against the emulator's Events API: it adds exactly the events the emulator dropped, once, and the payment
/// system gets each fact once.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct ReconcileEndToEndTests {
    /// The Stripe types the default mapping sends to the payment system: what reconcile lists.
    private static let mappedTypes = EventMapping.default.targets.keys.sorted()

    /// Runs `hookgate reconcile` with `arguments` against `emulator` with `apiKey`, on `scenario`'s store, with
    /// `config` or the scenario's configuration.
    private func reconcile(
        _ arguments: [String],
        scenario: DeliveryScenario,
        emulator: EmulatorProcess,
        apiKey: String = EmulatorProcess.apiKey,
        config: String? = nil
    ) throws -> HookgateProcess.Result {
        try HookgateProcess.run(
            ["reconcile", "--config", config ?? scenario.configPath] + arguments,
            environment: [
                "STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret, "STRIPE_API_KEY": apiKey,
                "HOOKGATE_STRIPE_API_BASE": "http://127.0.0.1:\(emulator.port)",
                "HOOKGATE_DATA_DIR": scenario.directory.url.appendingPathComponent("data").path,
            ]
        )
    }

    /// The ids of the mapped events the emulator lists, all or only those it did not deliver.
    private func listedIDs(_ emulator: EmulatorProcess, undeliveredOnly: Bool) throws -> Set<String> {
        let types = Self.mappedTypes.map { "&types%5B%5D=\($0)" }.joined()
        let answer = try emulator.request(
            "GET",
            "/v1/events?limit=100\(undeliveredOnly ? "&delivery_success=false" : "")\(types)"
        )
        guard case .array(let events)? = answer.body["data"], answer.body["has_more"] == .bool(false) else {
            throw GatewayProcessError(message: "not one page of events: \(answer.body.serialized())")
        }
        return Set(events.compactMap { if case .string(let id)? = $0["id"] { id } else { nil } })
    }

    /// A configuration with two Stripe endpoints, `stripe` and `stripe-connect`, written in `scenario`'s directory.
    private func twoEndpoints(_ scenario: DeliveryScenario) throws -> String {
        try scenario.directory.write(
            "two-endpoints.json",
            Array(
                """
                {"mode": "development", "listen": ["127.0.0.1:0"], "endpoints": [
                  {"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe",
                   "secrets": [{"label": "current", "env": "STRIPE_WEBHOOK_SECRET"}]},
                  {"name": "stripe-connect", "path": "/webhooks/connect", "scheme": "stripe",
                   "secrets": [{"label": "current", "env": "STRIPE_WEBHOOK_SECRET"}]}]}
                """.utf8
            )
        )
    }

    /// The JSON summary of a run that exited 0.
    private func summary(_ result: HookgateProcess.Result) throws -> JSONValue {
        guard result.status == 0 else {
            throw GatewayProcessError(message: "reconcile exited \(result.status): \(result.stderr)")
        }
        return try JSONValueParser.parse(result.stdout)
    }

    private func eventIDs(_ summary: JSONValue) -> Set<String> {
        guard case .array(let endpoints)? = summary["endpoints"] else { return [] }
        return Set(
            endpoints.flatMap { endpoint -> [String] in
                guard case .array(let ids)? = endpoint["event_ids"] else { return [] }
                return ids.compactMap { if case .string(let id) = $0 { id } else { nil } }
            }
        )
    }

    /// Three payments and their refunds with half the webhooks dropped: `--dry-run` lists the dropped events of
    /// mapped types and changes nothing; the run adds exactly those, as reconciled; the sink then has each
    /// payment's `payment-succeeded` and each refund's `refund-processed` once; a second run adds none.
    @Test func reconcileAddsExactlyTheDroppedEventsOnce() async throws {
        let scenario = try DeliveryScenario()
        let sink = try scenario.startSink()
        let ca = scenario.directory.url.appendingPathComponent("certs/dev-ca.pem").path
        let emulator = try EmulatorProcess(
            directory: scenario.directory.url,
            arguments: [
                "--forward-to", "https://localhost:\(scenario.gateway.port)/webhooks/stripe", "--cacert", ca,
                "--retry-scale", "0.05", "--seed", "5", "--drop", "0.5",
            ],
            environment: ["STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret]
        )
        var payments: [String] = []
        for amount in [1100, 1200, 1300] {
            let payment = try emulator.request(
                "POST",
                "/v1/payment_intents",
                ["amount=\(amount)", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
            )
            guard case .string(let id)? = payment.body["id"] else {
                Issue.record("no id: \(payment.body.serialized())")
                return
            }
            payments.append(id)
            #expect(try emulator.request("POST", "/v1/refunds", ["payment_intent=\(id)"]).status == 200)
        }
        // 5 events per payment (created, charge, succeeded, refund, charge.refunded), each delivered or dropped.
        let made = 5 * payments.count
        let deadline = Date().addingTimeInterval(20)
        var final: [String] { emulator.attemptLines.filter { $0.hasSuffix(" delivered") || $0.hasSuffix("(--drop)") } }
        while final.count < made, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(final.count == made, "\(emulator.stdout)")
        let delivered = final.filter { $0.hasSuffix(" delivered") }.count
        let store = try scenario.openStore()
        _ = try await store.waitUntilAll(delivered) { $0.state.isFinal }

        let dropped = try self.listedIDs(emulator, undeliveredOnly: true)
        let mapped = try self.listedIDs(emulator, undeliveredOnly: false)
        #expect(!dropped.isEmpty && dropped.count < mapped.count, "seed 5 drops some mapped events, not all")

        let dryRun = try self.summary(self.reconcile(["--dry-run", "--json"], scenario: scenario, emulator: emulator))
        #expect(self.eventIDs(dryRun) == dropped)
        #expect(dryRun["dry_run"] == .bool(true))
        #expect(dryRun["listed"] == .integer(Int64(mapped.count)))
        #expect(try await store.all().count == delivered, "--dry-run changed nothing")

        let run = try self.summary(self.reconcile(["--json"], scenario: scenario, emulator: emulator))
        #expect(self.eventIDs(run) == dropped)
        #expect(run["added"] == .integer(Int64(dropped.count)))
        #expect(run["already_had"] == .integer(Int64(mapped.count - dropped.count)))
        #expect(run["complete"] == .bool(true))
        let stored = try await store.waitUntilAll(delivered + dropped.count) { $0.state.isFinal }
        let reconciled = stored.filter { $0.received.origin == .reconciled }
        #expect(Set(reconciled.map(\.received.eventID)) == dropped)
        #expect(reconciled.allSatisfy { $0.received.headers.signature == nil })
        // Each stored body is the emulator's own bytes of the event (`GET /v1/events/{id}`), not a re-serialization.
        for delivery in reconciled {
            let url = "http://127.0.0.1:\(emulator.port)/v1/events/\(delivery.received.eventID)"
            let raw = try runTool("curl", ["-sS", "--max-time", "10", "-u", EmulatorProcess.apiKey + ":", url])
            #expect(Array(delivery.received.body) == Array(raw.stdout.utf8), "\(delivery.received.eventID)")
        }
        #expect(reconciled.contains { $0.state == .delivered }, "a reconciled event reached the sink")

        // Each payment succeeded once and was refunded once at the payment system, whichever webhooks came.
        let records = try sink.waitForRecords(2 * payments.count)
        #expect(records.count == 2 * payments.count, "\(sink.stdout)")
        #expect(Set(records.compactMap { $0.attribute("id") }).count == records.count)
        #expect(
            records.filter { $0.attribute("type") == "payment-succeeded" }.compactMap { $0.attribute("subject") }
                .sorted() == payments.sorted()
        )
        #expect(records.filter { $0.attribute("type") == "refund-processed" }.count == payments.count)

        // The lost webhook of a reconciled event, arriving after all, is a duplicate: forwarded once.
        let late = try #require(reconciled.first)
        let body = try scenario.directory.write("late.json", Array(late.received.body))
        let resent = try scenario.send(["--body-file", body])
        #expect(resent.stdout.contains(#""id":"\#(late.received.eventID)","duplicate":true"#), "\(resent.output)")

        let again = try self.summary(self.reconcile(["--json"], scenario: scenario, emulator: emulator))
        #expect(again["added"] == .integer(0))
        #expect(again["already_had"] == .integer(Int64(mapped.count)))
        #expect(try await store.all().count == delivered + dropped.count)
        await store.close()
        #expect(try emulator.stop() == 0)
    }

    /// An endpoint that receives thin events (`emulate --thin`) is not reconciled: the Events API lists the same
    /// occurrences under the snapshot events' ids, which it never got, so each would be stored and forwarded a
    /// second time. The run says so, adds nothing, and exits 0.
    @Test func anEndpointReceivingThinEventsIsNotReconciled() async throws {
        let scenario = try DeliveryScenario()
        let ca = scenario.directory.url.appendingPathComponent("certs/dev-ca.pem").path
        let emulator = try EmulatorProcess(
            directory: scenario.directory.url,
            arguments: [
                "--forward-to", "https://localhost:\(scenario.gateway.port)/webhooks/stripe", "--cacert", ca,
                "--retry-scale", "0.05", "--thin",
            ],
            environment: ["STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret]
        )
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=1500", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
        )
        #expect(payment.status == 200)
        // 3 events (created, charge, succeeded), each delivered as a thin event.
        let deadline = Date().addingTimeInterval(20)
        var delivered: Int { emulator.attemptLines.filter { $0.hasSuffix(" delivered") }.count }
        while delivered < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(delivered == 3, "\(emulator.stdout)")
        let store = try scenario.openStore()
        // No payment system here: the deliveries stay pending, which reconcile does not look at.
        let stored = try await store.waitUntilAll(3) { _ in true }
        #expect(stored.allSatisfy { $0.received.eventType.hasPrefix("v1.") })
        #expect(try self.listedIDs(emulator, undeliveredOnly: false).isDisjoint(with: stored.map(\.received.eventID)))

        let run = try self.summary(self.reconcile(["--json"], scenario: scenario, emulator: emulator))
        #expect(run["added"] == .integer(0) && run["listed"] == .integer(0))
        guard case .array(let endpoints)? = run["endpoints"] else {
            Issue.record("no endpoints: \(run.serialized())")
            return
        }
        #expect(endpoints.first?["thin_events"] == .bool(true), "\(run.serialized())")
        let text = try self.reconcile([], scenario: scenario, emulator: emulator)
        #expect(text.status == 0)
        #expect(
            text.stdout.contains(
                "stripe: not reconciled: it receives thin events, which the Events API lists under other ids"
            ),
            "\(text.output)"
        )
        #expect(try await store.all().count == 3)
        await store.close()
        #expect(try emulator.stop() == 0)
    }

    /// `--max-pages 1` with two Stripe endpoints: the first is listed, the run says the second was not checked,
    /// and exits 0.
    @Test func aRunStoppedByItsBoundSaysWhatItLeft() throws {
        let scenario = try DeliveryScenario()
        let emulator = try EmulatorProcess(directory: scenario.directory.url, arguments: [], environment: [:])
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=800", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
        )
        #expect(payment.status == 200)
        let config = try self.twoEndpoints(scenario)
        let result = try self.reconcile(
            ["--dry-run", "--json", "--max-pages", "1"],
            scenario: scenario,
            emulator: emulator,
            config: config
        )
        let summary = try self.summary(result)
        #expect(summary["complete"] == .bool(false))
        #expect(summary["added"] == .integer(2))
        guard case .string(let incomplete)? = summary["incomplete"] else {
            Issue.record("\(result.stdout)")
            return
        }
        #expect(incomplete.contains("stripe-connect"))
        #expect(result.stderr.contains("1 requests to the Events API"), "\(result.stderr)")
        #expect(try emulator.stop() == 0)
    }

    /// Two Stripe endpoints (a platform's and a Connect one) and one key: the key lists one account's events,
    /// and nothing says which endpoint receives them, so each missing event is added once, to the first endpoint,
    /// and an event stored under one endpoint is not added to another (`--endpoint` included).
    @Test func aMissingEventIsAddedOnceWhateverTheEndpoints() async throws {
        let scenario = try DeliveryScenario()
        let emulator = try EmulatorProcess(directory: scenario.directory.url, arguments: [], environment: [:])
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=700", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
        )
        #expect(payment.status == 200)
        let config = try self.twoEndpoints(scenario)
        let mapped = try self.listedIDs(emulator, undeliveredOnly: false)
        #expect(!mapped.isEmpty)
        let run = try self.summary(self.reconcile(["--json"], scenario: scenario, emulator: emulator, config: config))
        #expect(self.eventIDs(run) == mapped)
        #expect(run["added"] == .integer(Int64(mapped.count)), "\(run.serialized())")
        #expect(run["already_had"] == .integer(Int64(mapped.count)), "the second endpoint had them all")
        let store = try scenario.openStore()
        let stored = try await store.all()
        #expect(stored.count == mapped.count)
        #expect(stored.allSatisfy { $0.received.endpoint == "stripe" })
        let connect = try self.summary(
            self.reconcile(
                ["--json", "--endpoint", "stripe-connect"],
                scenario: scenario,
                emulator: emulator,
                config: config
            )
        )
        #expect(connect["added"] == .integer(0) && connect["already_had"] == .integer(Int64(mapped.count)))
        #expect(try await store.all().count == mapped.count)
        await store.close()
        #expect(try emulator.stop() == 0)
    }

    /// A production configuration on a host whose environment has the Stripe API key but not the endpoints'
    /// webhook secrets (nor the certificate files): reconcile reads neither, lists the events and adds them.
    @Test func runsWithoutTheWebhookSecrets() throws {
        let directory = try TemporaryDirectory()
        let emulator = try EmulatorProcess(directory: directory.url, arguments: [], environment: [:])
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=900", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
        )
        #expect(payment.status == 200)
        // The data directory `serve` made (reconcile opens its store; it does not create directories).
        try FileManager.default.createDirectory(
            at: directory.url.appendingPathComponent("data"),
            withIntermediateDirectories: true
        )
        let store = directory.url.appendingPathComponent("data/hookgate.sqlite").path
        let config = try directory.write(
            "production.json",
            Array(
                """
                {"mode": "production", "listen": ["127.0.0.1:0"],
                 "tls": {"certificate": "/nonexistent/fullchain.pem", "private_key": "/nonexistent/privkey.pem"},
                 "endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe",
                                "secrets": [{"label": "current", "env": "HOOKGATE_TEST_UNSET_WEBHOOK_SECRET"}]}],
                 "store": {"path": "\(store)"}}
                """.utf8
            )
        )
        let result = try HookgateProcess.run(
            ["reconcile", "--config", config, "--json"],
            environment: [
                "STRIPE_API_KEY": EmulatorProcess.apiKey,
                "HOOKGATE_STRIPE_API_BASE": "http://127.0.0.1:\(emulator.port)",
            ]
        )
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try self.summary(result)
        #expect(summary["added"] == .integer(2), "payment_intent.succeeded and charge.succeeded")
        #expect(try emulator.stop() == 0)
    }

    /// A key Stripe refuses: exit 1, and the key appears nowhere in the output; no key at all: exit 2.
    @Test func anAPIErrorExits1WithoutTheKey() throws {
        let scenario = try DeliveryScenario()
        let emulator = try EmulatorProcess(directory: scenario.directory.url, arguments: [], environment: [:])
        let key = "sk_live_reconcileMustNeverPrintThis"
        let refused = try self.reconcile([], scenario: scenario, emulator: emulator, apiKey: key)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("401"), "\(refused.stderr)")
        #expect(!refused.output.contains(key))
        #expect(!refused.output.contains("reconcileMustNeverPrintThis"))
        let missing = try self.reconcile([], scenario: scenario, emulator: emulator, apiKey: "")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("STRIPE_API_KEY"), "\(missing.stderr)")
        #expect(try emulator.stop() == 0)
    }
}
