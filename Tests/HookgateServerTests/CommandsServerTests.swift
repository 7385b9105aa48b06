import Foundation
import HookgateCore
import HookgateServer
import HookgateStore
import HookgateTestSupport
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Testing

/// The commands socket with a real SQLite store: `POST /commands` appends a command and answers 202 only once
/// it is stored; duplicates, conflicts and every refusal answered as documented; `GET /commands/{id}` answers
/// where a command stands.
@Suite(.timeLimit(.minutes(1)))
struct CommandsServerTests {
    static let receivedAt = Date(timeIntervalSince1970: 1_796_000_000)

    static func payment(id: String = "cmd_1", amount: Int = 2000) -> String {
        #"{"specversion":"1.0","id":"\#(id)","source":"orders","type":"payment-requested","subject":"ord_1","#
            + #""data":{"orderId":"ord_1","amount":\#(amount),"currency":"usd","paymentMethodId":"pm_card_visa"}}"#
    }

    /// A running commands server on a socket in a fresh directory, over a fresh store.
    struct Running {
        var socketPath: String
        var store: SQLiteDeliveryStore
        var metrics: GatewayMetrics

        /// The `hookgate_commands` lines of `/metrics`.
        var commandCounts: [String] {
            String(decoding: self.metrics.registry.emitToBuffer(), as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("hookgate_commands{") }.map(String.init).sorted()
        }

        func post(
            _ body: String,
            path: String = "/commands",
            contentType: String? = "application/cloudevents+json"
        ) async throws -> TestClient.Response {
            let client = try await TestClient.connectPlain(to: try SocketAddress(unixDomainSocketPath: self.socketPath))
            try await client.post(path: path, body: Array(body.utf8), headers: [], contentType: contentType)
            let response = try await client.readResponse()
            await client.close()
            return response
        }

        /// `GET /commands/{path}` (`path` as it goes on the request line).
        func status(_ path: String) async throws -> TestClient.Response {
            try await self.send("GET /commands/\(path) HTTP/1.1\r\nhost: commands\r\n\r\n")
        }

        func send(_ request: String) async throws -> TestClient.Response {
            let client = try await TestClient.connectPlain(to: try SocketAddress(unixDomainSocketPath: self.socketPath))
            try await client.send(request)
            let response = try await client.readResponse()
            await client.close()
            return response
        }
    }

    func run(
        mode: UInt16 = 0o600,
        readTimeout: TimeAmount = CommandsServer.defaultRequestReadTimeout,
        writeTimeout: TimeAmount = CommandsServer.defaultAnswerWriteTimeout,
        maximumConnections: Int = CommandsServer.defaultMaximumConnections,
        readsFail: Bool = false,
        _ body: (Running) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cmd-\(UUID().uuidString.prefix(8))"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteDeliveryStore.running(
            configuration: .init(path: directory.appendingPathComponent("s.sqlite").path)
        )
        let socketPath = directory.appendingPathComponent("commands.sock").path
        let metrics = GatewayMetrics()
        let server = CommandsServer(
            socketPath: socketPath,
            socketMode: mode,
            store: readsFail ? UnreadableCommandStore(base: store) : store,
            clock: { Self.receivedAt },
            metrics: metrics,
            requestReadTimeout: readTimeout,
            answerWriteTimeout: writeTimeout,
            maximumConnections: maximumConnections,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: server)], logger: Logger(label: "test"))
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = try await server.boundAddresses()
            do {
                try await body(Running(socketPath: socketPath, store: store, metrics: metrics))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(!FileManager.default.fileExists(atPath: socketPath), "the socket file is removed on the way out")
        await store.close()
    }

    /// 202 once stored, with the form and key built at receipt and the clock's time; the same again is a
    /// duplicate of the same command; the same id with another amount is a 409 and changes nothing.
    @Test func acceptsStoresDeduplicatesAndRefusesAConflict() async throws {
        try await self.run { server in
            let first = try await server.post(Self.payment())
            #expect(first.status == 202)
            #expect(first.body == #"{"id":"cmd_1","command":1,"duplicate":false}"#)
            let detail = try #require(try await server.store.command(commandID: "cmd_1"))
            #expect(detail.record.state == .pending)
            #expect(detail.record.received.kind == "payment-requested")
            #expect(detail.record.received.subject == "ord_1")
            #expect(detail.record.received.receivedAt == Self.receivedAt)
            #expect(detail.record.received.body == Data(Self.payment().utf8))
            #expect(detail.record.received.request.path == "/v1/payment_intents")
            #expect(detail.record.received.request.idempotencyKey == "cmd_1")
            #expect(
                String(decoding: detail.record.received.request.form, as: UTF8.self)
                    == "amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true&off_session=true"
                    + "&payment_method_types%5B0%5D=card&metadata%5Border_id%5D=ord_1"
                    + "&metadata%5Bhookgate_command_id%5D=cmd_1"
            )
            let again = try await server.post(Self.payment(), contentType: "application/json; charset=utf-8")
            #expect(again.status == 202)
            #expect(again.body == #"{"id":"cmd_1","command":1,"duplicate":true}"#)
            let conflict = try await server.post(Self.payment(amount: 3000))
            #expect(conflict.status == 409)
            #expect(conflict.errorCode == "command_conflict")
            #expect(try await server.store.countCommands(matching: CommandQuery()) == 1)
            #expect(
                server.commandCounts == [
                    #"hookgate_commands{kind="payment-requested",outcome="accepted"} 1"#,
                    #"hookgate_commands{kind="payment-requested",outcome="command_conflict"} 1"#,
                    #"hookgate_commands{kind="payment-requested",outcome="duplicate"} 1"#,
                ]
            )
        }
    }

    /// Every refusal: its status, code and message; nothing stored.
    @Test func refusals() async throws {
        try await self.run { server in
            let invalid = try await server.post(Self.payment(amount: 0))
            #expect(invalid.status == 400)
            #expect(
                invalid.body == #"{"error":"invalid_command","message":"data.amount: an integer from 1 to 99999999"}"#
            )
            let malformed = try await server.post("{")
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "malformed_request")
            #expect(try await server.post(Self.payment(), contentType: "text/plain").status == 415)
            #expect(try await server.post(Self.payment(), contentType: nil).status == 415)
            #expect(try await server.post(Self.payment(), path: "/deliveries").status == 404)
            let get = try await server.send("GET /commands HTTP/1.1\r\nhost: commands\r\n\r\n")
            #expect(get.status == 405)
            #expect(get.headers["allow"] == "POST")
            let declared = try await server.send(
                "POST /commands HTTP/1.1\r\nhost: commands\r\ncontent-type: application/json\r\n"
                    + "content-length: 70000\r\n\r\n"
            )
            #expect(declared.status == 413)
            let padding = String(repeating: " ", count: 70_000)
            let chunked = try await server.send(
                "POST /commands HTTP/1.1\r\nhost: commands\r\ncontent-type: application/json\r\n"
                    + "transfer-encoding: chunked\r\n\r\n"
                    + String(padding.utf8.count, radix: 16) + "\r\n" + padding + "\r\n0\r\n\r\n"
            )
            #expect(chunked.status == 413)
            #expect(chunked.errorCode == "payload_too_large")
            let hugeHeader = try await server.send(
                "POST /commands HTTP/1.1\r\nhost: commands\r\nx-big: \(String(repeating: "h", count: 20_000))\r\n\r\n"
            )
            #expect(hugeHeader.status >= 400)
            #expect(try await server.store.countCommands(matching: CommandQuery()) == 0)
        }
    }

    /// A store that cannot commit (closed): 503 store_unavailable with Retry-After, so the sender tries again.
    @Test func storeUnavailable() async throws {
        try await self.run { server in
            await server.store.close()
            let answer = try await server.post(Self.payment())
            #expect(answer.status == 503)
            #expect(answer.errorCode == "store_unavailable")
            #expect(answer.headers["retry-after"] == "5")
        }
    }

    /// Several commands on one kept-alive connection are answered in turn.
    @Test func keepAlive() async throws {
        try await self.run { server in
            let client = try await TestClient.connectPlain(
                to: try SocketAddress(unixDomainSocketPath: server.socketPath)
            )
            for index in 1...3 {
                let body = Array(Self.payment(id: "cmd_\(index)").utf8)
                try await client.post(path: "/commands", body: body, headers: [], contentType: "application/json")
                let response = try await client.readResponse()
                #expect(response.body == #"{"id":"cmd_\#(index)","command":\#(index),"duplicate":false}"#)
            }
            await client.close()
        }
    }

    /// `GET /commands/{id}`: pending right after the POST, delivered with Stripe's object once an attempt
    /// completed through the store; never the CloudEvent or the form; not counted in `hookgate_commands`.
    @Test func statusOfACommand() async throws {
        try await self.run { server in
            #expect(try await server.post(Self.payment()).status == 202)
            let pending = try await server.status("cmd_1")
            #expect(pending.status == 200)
            #expect(pending.headers["content-type"] == "application/json")
            #expect(
                pending.body
                    == #"{"id":"cmd_1","command":1,"type":"payment-requested","state":"pending","attempts":0,"#
                    + #""stripe_object":null,"last_status":null,"last_error":null,"#
                    + #""next_attempt_at":"2026-11-30T00:53:20.000Z","received_at":"2026-11-30T00:53:20.000Z"}"#
            )

            let lease = try #require(
                try await server.store.claimDueCommands(
                    now: Self.receivedAt.addingTimeInterval(1),
                    leaseDuration: .seconds(60),
                    limit: 1
                ).first
            )
            #expect(try await server.status("cmd_1").body.contains(#""state":"delivering""#))
            try await server.store.completeCommandAttempt(
                lease,
                report: CommandAttemptReport(
                    startedAt: Self.receivedAt.addingTimeInterval(1),
                    duration: .milliseconds(120),
                    status: 200,
                    requestID: "req_1",
                    response: Data(#"{"id":"pi_3Q","status":"succeeded","customer_email":"a@example.com"}"#.utf8)
                ),
                outcome: .delivered,
                stripeObject: StripeObjectReference(id: "pi_3Q", status: "succeeded")
            )
            let delivered = try await server.status("cmd_1")
            #expect(delivered.status == 200)
            #expect(
                delivered.body
                    == #"{"id":"cmd_1","command":1,"type":"payment-requested","state":"delivered","attempts":1,"#
                    + #""stripe_object":{"id":"pi_3Q","status":"succeeded"},"last_status":200,"last_error":null,"#
                    + #""next_attempt_at":null,"received_at":"2026-11-30T00:53:20.000Z"}"#
            )
            #expect(!delivered.body.contains("pm_card_visa") && !delivered.body.contains("example.com"))
            #expect(server.commandCounts == [#"hookgate_commands{kind="payment-requested",outcome="accepted"} 1"#])
        }
    }

    /// An id with `/` and `%` comes percent-encoded and is decoded; a control character in Stripe's error is
    /// escaped in the JSON.
    @Test func statusOfAnEncodedIDWithAnEscapedError() async throws {
        try await self.run { server in
            #expect(try await server.post(Self.payment(id: "orders/ord_1%x")).status == 202)
            let lease = try #require(
                try await server.store.claimDueCommands(now: Self.receivedAt, leaseDuration: .seconds(60), limit: 1)
                    .first
            )
            try await server.store.completeCommandAttempt(
                lease,
                report: CommandAttemptReport(
                    startedAt: Self.receivedAt,
                    duration: .milliseconds(80),
                    status: 402,
                    error: "card_error card_declined:\u{1B}[31m \"declined\"\n"
                ),
                outcome: .dead,
                stripeObject: StripeObjectReference(id: "pi_9", status: "requires_payment_method")
            )
            let dead = try await server.status("orders%2Ford_1%25x")
            #expect(dead.status == 200)
            #expect(dead.body.hasPrefix(#"{"id":"orders/ord_1%x","command":1,"#), "\(dead.body)")
            #expect(
                dead.body.contains(
                    #""state":"dead","attempts":1,"stripe_object":{"id":"pi_9","status":"requires_payment_method"},"#
                        + #""last_status":402,"last_error":"card_error card_declined:\u001b[31m \"declined\"\n","#
                ),
                "\(dead.body)"
            )
            let parsed = try JSONValueParser.parse(Array(dead.body.utf8))
            #expect(parsed["last_error"] == .string("card_error card_declined:\u{1B}[31m \"declined\"\n"))
        }
    }

    /// No such command, an id no command can have, another method on a command.
    @Test func statusRefusals() async throws {
        try await self.run { server in
            let missing = try await server.status("cmd_none")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "command_not_found")
            #expect(try await server.status("bad%zz").errorCode == "command_not_found")
            #expect(try await server.status("with%20space").errorCode == "command_not_found")
            #expect(try await server.status("").errorCode == "command_not_found")
            #expect(try await server.status(String(repeating: "a", count: 256)).errorCode == "command_not_found")
            for method in ["POST", "PUT", "DELETE"] {
                let refused = try await server.send(
                    "\(method) /commands/cmd_1 HTTP/1.1\r\nhost: commands\r\ncontent-length: 0\r\n\r\n"
                )
                #expect(refused.status == 405, "\(method)")
                #expect(refused.headers["allow"] == "GET")
                #expect(refused.errorCode == "method_not_allowed")
            }
            #expect(try await server.send("GET /commands HTTP/1.1\r\nhost: commands\r\n\r\n").status == 405)
        }
    }

    /// A store whose reads fail: 503 store_unavailable with Retry-After, so the caller asks again.
    @Test func statusWhenTheStoreCannotBeRead() async throws {
        try await self.run(readsFail: true) { server in
            #expect(try await server.post(Self.payment()).status == 202)
            let unreadable = try await server.status("cmd_1")
            #expect(unreadable.status == 503)
            #expect(unreadable.errorCode == "store_unavailable")
            #expect(unreadable.headers["retry-after"] == "1")
        }
    }

    /// The socket file gets the configured mode; a connection slow to send its request is closed.
    @Test func socketModeAndReadTimeout() async throws {
        try await self.run(mode: 0o660, readTimeout: .milliseconds(300)) { server in
            let attributes = try FileManager.default.attributesOfItem(atPath: server.socketPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o660)
            let client = try await TestClient.connectPlain(
                to: try SocketAddress(unixDomainSocketPath: server.socketPath)
            )
            // On a loaded machine the read timeout may close the connection before this half request is sent:
            // either way the server closes it.
            try? await client.send("POST /commands HTTP/1.1\r\nhost: commands\r\n")
            #expect(try await client.waitForClose(timeout: .seconds(5)))
            await client.close()
        }
    }
}
