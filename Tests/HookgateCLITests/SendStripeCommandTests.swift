import Foundation
import Glibc
import HookgateCore
import HookgateStore
import HookgateTestSupport
import Testing

/// `hookgate send-command` against a real `hookgate serve`: commands accepted with 202 and stored, duplicates,
/// conflicts, refusals naming the member, `--json`, `--file`, curl over the socket, a missing socket, and
/// `--wait` for the outcome with a `hookgate emulate` as Stripe's API.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(2)))
struct SendStripeCommandTests {
    func sendCommand(_ arguments: [String], environment: [String: String] = [:]) throws -> HookgateProcess.Result {
        try HookgateProcess.run(["send-command"] + arguments, environment: environment)
    }

    @Test func commandsThroughServesSocket() async throws {
        let directory = try ServeCommandTests().freshCheckout()
        let gateway = try GatewayProcess(directory: directory.url, environment: ["STRIPE_WEBHOOK_SECRET": "whsec_cmd"])
        defer { if gateway.process.isRunning { gateway.send(SIGKILL) } }
        try gateway.waitForOutput("commands socket open")
        let socket = directory.url.appendingPathComponent("data/commands.sock").path
        #expect(try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int == 0o600)
        let payment = [
            "payment-requested", "--order", "ord_1", "--amount", "2000", "--currency", "usd", "--payment-method",
            "pm_card_visa", "--customer", "cus_1", "--description", "Order 1", "--id", "cmd_pay_1", "--socket", socket,
        ]

        let accepted = try self.sendCommand(payment)
        #expect(accepted.status == 0, "\(accepted.output)")
        #expect(accepted.stdout == "accepted: command 1, id cmd_pay_1\n")
        let duplicate = try self.sendCommand(payment)
        #expect(duplicate.status == 0)
        #expect(duplicate.stdout == "duplicate (stored before): command 1, id cmd_pay_1\n")
        var otherAmount = payment
        otherAmount[4] = "3000"
        let conflict = try self.sendCommand(otherAmount)
        #expect(conflict.status == 1)
        #expect(conflict.stderr.hasPrefix("hookgate send-command: 409 command_conflict: "), "\(conflict.stderr)")
        #expect(conflict.stderr.contains("(id cmd_pay_1)"))
        var upperCase = payment
        upperCase[6] = "USD"
        upperCase[upperCase.count - 3] = "cmd_pay_2"
        let invalid = try self.sendCommand(upperCase)
        #expect(invalid.status == 1)
        #expect(
            invalid.stderr
                == "hookgate send-command: 400 invalid_command: data.currency: three lowercase letters, an ISO "
                + "currency code such as \"usd\" (id cmd_pay_2)\n"
        )

        // The socket from the configuration (HOOKGATE_DATA_DIR's commands.sock), the answer as JSON, a fresh id.
        let refund = try self.sendCommand(
            [
                "refund-requested", "--order", "ord_1", "--payment", "pi_123", "--reason", "requested_by_customer",
                "--json", "--config", directory.url.appendingPathComponent("Config/hookgate.json").path,
            ],
            environment: ["HOOKGATE_DATA_DIR": directory.url.appendingPathComponent("data").path]
        )
        #expect(refund.status == 0, "\(refund.output)")
        let refundMatch = try #require(
            refund.stdout.firstMatch(of: /^\{"status":202,"id":"([0-9A-F-]{36})","command":2,"duplicate":false\}\n$/)
        )
        let refundID = String(refundMatch.1)

        // A CloudEvent file as it is, and the README's curl.
        let event =
            #"{"specversion":"1.0","id":"cmd_file_1","source":"orders","type":"refund-requested","#
            + #""data":{"orderId":"ord_2","paymentId":"pi_456","amount":100}}"#
        let file = try directory.write("refund.json", Array(event.utf8))
        let fromFile = try self.sendCommand(["--file", file], environment: ["HOOKGATE_COMMANDS_SOCKET": socket])
        #expect(fromFile.stdout == "accepted: command 3, id cmd_file_1\n", "\(fromFile.output)")
        let curl = try runTool(
            "curl",
            [
                "-sS", "--unix-socket", socket, "-H", "Content-Type: application/cloudevents+json", "--data-binary",
                "@\(file)", "http://hookgate/commands",
            ]
        )
        #expect(curl.stdout == #"{"id":"cmd_file_1","command":3,"duplicate":true}"#, "\(curl.stderr)")

        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
        let reader = try SQLiteDeliveryReader(path: directory.url.appendingPathComponent("data/hookgate.sqlite").path)
        let stored = try await reader.commands(matching: CommandQuery())
        #expect(stored.map(\.received.commandID) == ["cmd_file_1", refundID, "cmd_pay_1"])
        let pay = try #require(try await reader.command(commandID: "cmd_pay_1"))
        #expect(pay.record.received.kind == "payment-requested")
        #expect(pay.record.received.subject == "ord_1")
        #expect(pay.record.state == .pending)
        #expect(
            String(decoding: pay.record.received.request.form, as: UTF8.self)
                == "amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true&off_session=true"
                + "&payment_method_types%5B0%5D=card&customer=cus_1&description=Order%201"
                + "&metadata%5Border_id%5D=ord_1&metadata%5Bhookgate_command_id%5D=cmd_pay_1"
        )
        #expect(!gateway.stdout.contains("pm_card_visa"), "the log never holds a command's body")
    }

    /// `--wait` against a `serve` whose Stripe API is a `hookgate emulate`: a card that succeeds is `delivered`
    /// with its PaymentIntent (exit 0), a declined card `dead` with Stripe's error (exit 1); `--json` prints the
    /// status object; an id with `/` reaches `GET /commands/{id}` percent-encoded.
    @Test func waitForTheOutcome() async throws {
        let directory = try ServeCommandTests().freshCheckout()
        let emulator = try EmulatorProcess(directory: directory.url, arguments: [], environment: [:])
        let gateway = try GatewayProcess(
            directory: directory.url,
            environment: [
                "STRIPE_WEBHOOK_SECRET": "whsec_cmd", "STRIPE_API_KEY": EmulatorProcess.apiKey,
                "HOOKGATE_STRIPE_API_BASE": "http://127.0.0.1:\(emulator.port)",
            ]
        )
        defer { if gateway.process.isRunning { gateway.send(SIGKILL) } }
        try gateway.waitForOutput("commands socket open")
        let socket = directory.url.appendingPathComponent("data/commands.sock").path
        func payment(_ id: String, card: String) -> [String] {
            [
                "payment-requested", "--order", "ord_\(id)", "--amount", "2000", "--currency", "usd",
                "--payment-method", card, "--id", id, "--socket", socket, "--wait",
            ]
        }

        let paid = try self.sendCommand(payment("cmd_wait_paid", card: "pm_card_visa"))
        #expect(paid.status == 0, "\(paid.output)")
        #expect(paid.stderr == "accepted: command 1, id cmd_wait_paid\n")
        #expect(paid.stdout.wholeMatch(of: /delivered: pi_\w+ succeeded\n/) != nil, "\(paid.stdout)")

        let declined = try self.sendCommand(payment("cmd_wait_declined", card: "pm_card_chargeDeclined"))
        #expect(declined.status == 1, "\(declined.output)")
        #expect(declined.stderr == "accepted: command 2, id cmd_wait_declined\n")
        #expect(declined.stdout.hasPrefix("dead: ") && declined.stdout.split(separator: "\n").count == 1)
        #expect(declined.stdout.contains("402 (card_error, card_declined"), "\(declined.stdout)")

        let json = try self.sendCommand(payment("orders/cmd_wait_json", card: "pm_card_visa") + ["--json"])
        #expect(json.status == 0, "\(json.output)")
        let status = try JSONValueParser.parse(Array(json.stdout.utf8))
        #expect(status["id"] == .string("orders/cmd_wait_json"))
        #expect(status["command"] == .integer(3))
        #expect(status["state"] == .string("delivered"))
        #expect(status["last_status"] == .integer(200))
        guard case .string(let intent)? = status["stripe_object"]?["id"] else {
            Issue.record("no stripe_object: \(json.stdout)")
            return
        }
        #expect(intent.hasPrefix("pi_"))
        #expect(!json.stdout.contains("pm_card_visa"), "never the form or the CloudEvent")
        #expect(json.stderr.isEmpty, "\(json.stderr)")

        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
        #expect(try emulator.stop() == 0)
    }

    /// Without a Stripe API key `serve` keeps commands waiting in the store: `--wait` gives up after
    /// `--wait-timeout` with exit 3, saying the command is still pending.
    @Test func waitTimesOutWhileTheCommandIsPending() throws {
        let directory = try ServeCommandTests().freshCheckout()
        let gateway = try GatewayProcess(directory: directory.url, environment: ["STRIPE_WEBHOOK_SECRET": "whsec_cmd"])
        defer { if gateway.process.isRunning { gateway.send(SIGKILL) } }
        try gateway.waitForOutput("commands socket open")
        let result = try self.sendCommand([
            "refund-requested", "--order", "ord_1", "--payment", "pi_1", "--id", "cmd_wait_pending", "--wait",
            "--wait-timeout", "1", "--socket", directory.url.appendingPathComponent("data/commands.sock").path,
        ])
        #expect(result.status == 3, "\(result.output)")
        #expect(result.stderr == "accepted: command 1, id cmd_wait_pending\n")
        #expect(result.stdout == "pending after 1 s: attempts 0; it stays stored and is still sent\n")
        gateway.send(SIGTERM)
        #expect(try gateway.waitForExit() == 0)
    }

    /// A gateway that accepts the command but never answers where it stands: `--wait` still ends after
    /// `--wait-timeout` (not after the socket client's own 30 s timeout), exit 3, saying it learnt nothing.
    @Test func waitEndsAtItsTimeoutWhenTheSocketDoesNotAnswer() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("commands.sock").path
        let gateway = try SilentStatusSocket(path: socket)
        defer { gateway.close() }
        let result = try self.sendCommand([
            "refund-requested", "--order", "ord_1", "--payment", "pi_1", "--id", "cmd_silent", "--wait",
            "--wait-timeout", "1", "--socket", socket,
        ])
        #expect(result.status == 3, "\(result.output)")
        #expect(result.stderr.hasPrefix("accepted: command 1, id cmd_silent\n"), "\(result.stderr)")
        #expect(result.stderr.contains("no word of the command within 1 s"), "\(result.stderr)")
        #expect(gateway.statusRequests > 0)
    }

    /// No gateway listening: a clear error, exit 1.
    @Test func missingSocket() throws {
        let directory = try TemporaryDirectory()
        let socket = directory.url.appendingPathComponent("commands.sock").path
        let result = try self.sendCommand(["refund-requested", "--order", "o", "--payment", "pi_1", "--socket", socket])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "hookgate send-command: cannot reach the commands socket \(socket): there is no socket at this "
                + "path (is hookgate serve running?)\n"
        )
    }

    /// Usage errors exit 2 before anything is sent.
    @Test(arguments: [
        ["--order", "o"],
        ["payment-requested", "--order", "o", "--amount", "1", "--currency", "usd"],
        ["payment-requested", "--amount", "1", "--currency", "usd", "--payment-method", "pm_card_visa"],
        ["refund-requested", "--order", "o", "--payment", "pi_1", "--currency", "usd"],
        ["refund-requested", "--order", "o", "--payment", "pi_1", "--file", "x.json"],
        ["charge-requested", "--order", "o"],
        ["refund-requested", "--order", "o", "--payment", "pi_1", "--wait", "--wait-timeout", "0"],
    ])
    func usageErrors(_ arguments: [String]) throws {
        let result = try self.sendCommand(arguments + ["--socket", "/nonexistent/commands.sock"])
        #expect(result.status == 2, "\(arguments): \(result.output)")
        #expect(!result.stderr.contains("cannot reach"))
    }
}

/// A commands socket that answers `POST /commands` with 202 and never answers `GET /commands/{id}`: a gateway
/// stuck while the command is already stored. One thread per connection, on plain file descriptors.
private final class SilentStatusSocket: @unchecked Sendable {
    private let listener: Int32
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var gets = 0

    init(path: String) throws {
        self.listener = try UnixSocketDescriptor.listening(at: path)
        Thread.detachNewThread { self.accept() }
    }

    /// How many status requests came (none answered).
    var statusRequests: Int { self.lock.withLock { self.gets } }

    func close() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        Glibc.close(self.listener)
        for connection in self.lock.withLock({ self.connections }) {
            shutdown(connection, Int32(SHUT_RDWR))
            Glibc.close(connection)
        }
    }

    private func accept() {
        while true {
            let connection = Glibc.accept(self.listener, nil, nil)
            guard connection >= 0 else { return }
            self.lock.withLock { self.connections.append(connection) }
            Thread.detachNewThread { self.serve(connection) }
        }
    }

    /// Reads requests; answers a POST, counts a GET and leaves it unanswered.
    private func serve(_ connection: Int32) {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            pending += chunk[..<count]
            while let end = pending.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                guard pending.count >= end.upperBound + length else { break }
                pending.removeFirst(end.upperBound + length)
                guard head.hasPrefix("POST") else {
                    self.lock.withLock { self.gets += 1 }
                    continue
                }
                let body = #"{"id":"cmd_silent","command":1,"duplicate":false}"#
                let answer = Array(
                    ("HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)"
                        + "\r\n\r\n" + body).utf8
                )
                _ = answer.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
    }
}
