import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// The whole catalog with real processes: `hookgate send-command` (the payment system) → the commands socket of
/// `hookgate serve` → `hookgate emulate` (Stripe's API) → its webhooks → `serve` → `hookgate sink`.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(3)))
struct CommandBridgeEndToEndTests {
    /// A payment with a card that succeeds, one with a card that is declined, then a refund of the first, with
    /// every webhook sent twice and each request's events shuffled: the sink gets `payment-succeeded`,
    /// `payment-failed` and `refund-processed` once each, with the orders' ids; each command reached Stripe's
    /// API once, also the one the payment system sent twice.
    @Test func commandsComeBackAsCatalogEventsOnce() async throws {
        let bridge = try CommandBridge(emulatorArguments: ["--duplicate", "1", "--reorder", "--seed", "2"])
        let paid = try bridge.sendCommand([
            "payment-requested", "--order", "ord_paid", "--amount", "2000", "--currency", "eur",
            "--payment-method", "pm_card_visa", "--id", "cmd-pay-ord_paid",
        ])
        #expect(paid.status == 0, "\(paid.output)")
        let declined = try bridge.sendCommand([
            "payment-requested", "--order", "ord_declined", "--amount", "900", "--currency", "eur",
            "--payment-method", "pm_card_chargeDeclined", "--id", "cmd-pay-ord_declined",
        ])
        #expect(declined.status == 0, "\(declined.output)")
        let resent = try bridge.sendCommand([
            "payment-requested", "--order", "ord_paid", "--amount", "2000", "--currency", "eur",
            "--payment-method", "pm_card_visa", "--id", "cmd-pay-ord_paid",
        ])
        #expect(resent.status == 0 && resent.stdout.contains("duplicate"), "\(resent.output)")

        let store = try bridge.openStore()
        let payment = try await store.waitForCommand("cmd-pay-ord_paid") { $0.state == .delivered }
        let paymentID = try #require(payment.record.stripeObject?.id)
        #expect(paymentID.hasPrefix("pi_") && payment.record.stripeObject?.status == "succeeded")
        let decline = try await store.waitForCommand("cmd-pay-ord_declined") { $0.state == .dead }
        #expect(decline.record.lastStatus == 402)
        #expect(decline.record.lastError?.contains("card_declined") == true, "\(decline.record)")
        #expect(decline.record.stripeObject?.id.hasPrefix("pi_") == true, "the declined PaymentIntent is named")

        let refunded = try bridge.sendCommand([
            "refund-requested", "--order", "ord_paid", "--payment", paymentID, "--amount", "500",
            "--id", "cmd-refund-ord_paid",
        ])
        #expect(refunded.status == 0, "\(refunded.output)")
        let refund = try await store.waitForCommand("cmd-refund-ord_paid") { $0.state == .delivered }
        #expect(refund.record.stripeObject?.id.hasPrefix("re_") == true, "\(refund.record)")

        // Two payments of three events and a refund of two, each webhook sent twice.
        try bridge.emulator.waitForDelivered(16)
        _ = try await store.waitUntilAll(8) { $0.state.isFinal }
        let records = try bridge.sink.waitForRecords(3)
        #expect(records.count == 3, "\(bridge.sink.stdout)")
        let byType = Dictionary(grouping: records) { $0.attribute("type") ?? "" }
        #expect(byType.mapValues(\.count) == ["payment-succeeded": 1, "payment-failed": 1, "refund-processed": 1])
        let succeeded = try #require(byType["payment-succeeded"]?.first?.event)
        #expect(succeeded["subject"] == .string(paymentID))
        #expect(succeeded["data"]?["orderId"] == .string("ord_paid"))
        #expect(succeeded["data"]?["amount"] == .integer(2000))
        #expect(byType["payment-failed"]?.first?.event?["data"]?["orderId"] == .string("ord_declined"))
        let processed = try #require(byType["refund-processed"]?.first?.event)
        #expect(processed["data"]?["orderId"] == .string("ord_paid"))
        #expect(processed["data"]?["paymentId"] == .string(paymentID))
        #expect(processed["data"]?["amount"] == .integer(500))
        #expect(records.allSatisfy { CatalogSchemas.violations(of: $0.event!) == [] })
        let order = records.compactMap { $0.attribute("type") }
        #expect(order.firstIndex(of: "payment-succeeded")! < order.firstIndex(of: "refund-processed")!)

        // Each command's key reached the API once: the duplicate command was not sent again.
        for key in ["cmd-pay-ord_paid", "cmd-pay-ord_declined", "cmd-refund-ord_paid"] {
            #expect(try bridge.apiRequests(idempotencyKey: key).count == 1, "\(key)")
        }
        await store.close()
        #expect(try bridge.emulator.stop() == 0)
    }

    /// The gateway is killed after Stripe's API ran a payment but before its answer arrived: after the restart
    /// the command is sent again with the same `Idempotency-Key`, the API replays its first answer, and there is
    /// one PaymentIntent and one `payment-succeeded` event.
    @Test func aCommandRetriedAfterACrashChargesOnce() async throws {
        let bridge = try CommandBridge(emulatorArguments: ["--api-answer-delay", "4000"])
        let sent = try bridge.sendCommand([
            "payment-requested", "--order", "ord_crash", "--amount", "3100", "--currency", "usd",
            "--payment-method", "pm_card_visa", "--id", "cmd-crash",
        ])
        #expect(sent.status == 0, "\(sent.output)")
        // The API ran it (the log shows it as soon as it ran); its answer is still on its way.
        let deadline = Date().addingTimeInterval(20)
        while try bridge.apiRequests(idempotencyKey: "cmd-crash").isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try bridge.killGateway()
        try bridge.restartGateway()

        let store = try bridge.openStore()
        let command = try await store.waitForCommand("cmd-crash", timeout: 120) { $0.state == .delivered }
        let requests = try bridge.apiRequests(idempotencyKey: "cmd-crash")
        #expect(requests.count == 2, "\(requests)")
        #expect(requests.first?["idempotent_replayed"] == .bool(true), "the newest request was answered from the log")
        #expect(requests.last?["idempotent_replayed"] == .bool(false))
        #expect(command.attempts.last?.report.idempotentReplayed == true)
        let intents = try bridge.emulator.request("GET", "/v1/payment_intents?limit=100").body["data"]
        guard case .array(let all)? = intents else {
            Issue.record("no list")
            return
        }
        #expect(all.filter { $0["metadata"]?["order_id"] == .string("ord_crash") }.count == 1, "charged once")
        #expect(
            command.record.stripeObject?.id
                == all.first?["id"].flatMap { if case .string(let id) = $0 { id } else { nil } }
        )

        // The payment's three webhooks are stored and final (delivered, or skipped as unmapped).
        try bridge.emulator.waitForDelivered(3)
        _ = try await store.waitUntilAll(3) { $0.state.isFinal }
        _ = try bridge.sink.waitForRecords(1)
        // One payment-succeeded event: a forward cut short by the kill is made again after the restart (at least
        // once), with the same event id.
        let succeeded = bridge.sink.records.filter { $0.attribute("type") == "payment-succeeded" }
        #expect(Set(succeeded.compactMap { $0.attribute("id") }).count == 1, "\(bridge.sink.stdout)")
        #expect(succeeded.first?.event?["data"]?["orderId"] == .string("ord_crash"))
        await store.close()
        #expect(try bridge.emulator.stop() == 0)
    }
}

/// A `serve` with a Stripe API key, its API base at a `hookgate emulate` that forwards its webhooks back to it on
/// a fixed port (kept across a restart), and a `sink` on its upstream socket.
private final class CommandBridge: @unchecked Sendable {
    let directory: TemporaryDirectory
    let gatewayPort: Int
    let apiPort: Int
    private let configPath: String
    private(set) var gateway: GatewayProcess
    let sink: SinkProcess
    let emulator: EmulatorProcess

    init(emulatorArguments: [String]) throws {
        self.directory = try TemporaryDirectory()
        self.gatewayPort = try LoopbackPort.free()
        self.apiPort = try LoopbackPort.free()
        self.configPath = try self.directory.write(
            "hookgate.json",
            Array(DeliveryScenario.configuration(timeoutMilliseconds: 2000).utf8)
        )
        self.gateway = try Self.startGateway(
            self.directory,
            config: self.configPath,
            port: self.gatewayPort,
            apiPort: self.apiPort
        )
        let root = self.directory.url
        self.sink = try SinkProcess.reportingJSON(
            on: root.appendingPathComponent("data/payments.sock").path,
            in: root
        )
        self.emulator = try EmulatorProcess(
            directory: self.directory.url,
            arguments: [
                "--listen", "127.0.0.1:\(self.apiPort)",
                "--forward-to", "https://localhost:\(self.gatewayPort)/webhooks/stripe",
                "--cacert", root.appendingPathComponent("certs/dev-ca.pem").path, "--retry-scale", "0.02",
            ] + emulatorArguments,
            environment: ["STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret]
        )
    }

    func path(_ relative: String) -> String {
        self.directory.url.appendingPathComponent(relative).path
    }

    private static func startGateway(
        _ directory: TemporaryDirectory,
        config: String,
        port: Int,
        apiPort: Int
    ) throws -> GatewayProcess {
        try GatewayProcess(
            directory: directory.url,
            arguments: ["--config", config],
            environment: [
                "HOOKGATE_LISTEN": "127.0.0.1:\(port)",
                "STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret, "STRIPE_API_KEY": EmulatorProcess.apiKey,
                "HOOKGATE_STRIPE_API_BASE": "http://127.0.0.1:\(apiPort)",
                "HOOKGATE_DATA_DIR": directory.url.appendingPathComponent("data").path,
                "HOOKGATE_UPSTREAM_SOCKET": directory.url.appendingPathComponent("data/payments.sock").path,
            ]
        )
    }

    func killGateway() throws {
        self.gateway.send(SIGKILL)
        _ = try self.gateway.waitForExit()
    }

    func restartGateway() throws {
        self.gateway = try Self.startGateway(
            self.directory,
            config: self.configPath,
            port: self.gatewayPort,
            apiPort: self.apiPort
        )
    }

    /// Runs `hookgate send-command` with `arguments` on the gateway's commands socket.
    func sendCommand(_ arguments: [String]) throws -> HookgateProcess.Result {
        try HookgateProcess.run(
            ["send-command"] + arguments,
            environment: ["HOOKGATE_COMMANDS_SOCKET": self.path("data/commands.sock")]
        )
    }

    /// The API's requests with this `Idempotency-Key`, newest first (`GET /_emulator/requests`).
    func apiRequests(idempotencyKey: String) throws -> [JSONValue] {
        let answer = try self.emulator.request("GET", "/_emulator/requests?limit=100&idempotency_key=\(idempotencyKey)")
        guard case .array(let requests)? = answer.body["data"] else {
            throw GatewayProcessError(message: "no request list: \(answer.body.serialized())")
        }
        return requests
    }

    func openStore() throws -> SQLiteDeliveryStore {
        try SQLiteDeliveryStore.running(configuration: .init(path: self.path("data/hookgate.sqlite")))
    }
}

extension SQLiteDeliveryStore {
    /// Polls every 50 ms until the command with `commandID` exists and `condition` holds for it, at most
    /// `timeout` seconds.
    fileprivate func waitForCommand(
        _ commandID: String,
        timeout: TimeInterval = 30,
        _ condition: (CommandRecord) -> Bool
    ) async throws -> CommandDetail {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let detail = try await self.command(commandID: commandID)
            if let detail, condition(detail.record) { return detail }
            guard Date() < deadline else {
                throw GatewayProcessError(
                    message: "command \(commandID) not there in \(timeout) s: \(String(describing: detail))"
                )
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
