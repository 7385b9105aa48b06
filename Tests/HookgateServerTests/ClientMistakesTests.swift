import Foundation
import HookgateServer
import HookgateTestSupport
import InMemoryLogging
import Logging
import NIOCore
import NIOSSL
import Testing

/// What an operator sees when a client gets the connection wrong: plain HTTP on the TLS port, an old TLS
/// version, bytes that are not TLS; and the log lines that name addresses and paths.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct ClientMistakesTests {
    /// The info lines with `message`'s prefix.
    private static func lines(_ logs: InMemoryLogHandler, startingWith prefix: String) -> [InMemoryLogHandler.Entry] {
        logs.entries.filter { $0.level == .info && "\($0.message)".hasPrefix(prefix) }
    }

    /// Waits (up to 5 s) until the gateway has logged `count` lines starting with `prefix`.
    private static func waitForLines(
        _ logs: InMemoryLogHandler,
        startingWith prefix: String,
        count: Int = 1
    ) async throws -> [InMemoryLogHandler.Entry] {
        for _ in 0..<250 {
            let found = Self.lines(logs, startingWith: prefix)
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Self.lines(logs, startingWith: prefix)
    }

    /// `curl http://127.0.0.1:8443/...` gets a clear-text 400 naming the https:// URL, then the connection
    /// closes; the refusal is logged once per client address per minute.
    @Test func plainHTTPOnTheTLSPortGetsA400() async throws {
        let logs = InMemoryLogHandler()
        try await GatewayHarness.run(logs: logs) { gateway in
            let address = try SocketAddress(ipAddress: "127.0.0.1", port: gateway.port)
            for _ in 0..<2 {
                let client = try await TestClient.connectPlain(to: address)
                try await client.send(
                    "POST /webhooks/stripe?x=1 HTTP/1.1\r\nHost: localhost:\(gateway.port)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                )
                let response = try await client.readResponse()
                #expect(response.status == 400)
                #expect(response.headers["content-type"] == "application/json")
                #expect(
                    response.body
                        == #"{"error":"plain_http_on_tls_port","message":"this port speaks HTTPS: use https://localhost:\#(gateway.port)/webhooks/stripe"}"#
                )
                #expect(try await client.waitForClose())
            }
            let logged = try await Self.waitForLines(logs, startingWith: "client cannot connect")
            #expect(logged.count == 1, "one line per address per minute: \(logged)")
            #expect(logged.first?.metadata[LogKey.tlsFailureReason] == "plain_http")
            #expect(try await gateway.store.countByState().values.reduce(0, +) == 0)
        }
    }

    /// A TLS 1.1 client is refused and the log says why: the protocol version.
    @Test func anOldTLSVersionIsLoggedWithItsReason() async throws {
        let logs = InMemoryLogHandler()
        try await GatewayHarness.run(logs: logs) { gateway in
            let client = try await TestClient.connect(
                port: gateway.port,
                tls: TestClient.tlsConfiguration(minimum: .tlsv11, maximum: .tlsv11)
            )
            await #expect(throws: (any Error).self) { try await client.waitForHandshake() }
            await client.close()
            let logged = try await Self.waitForLines(logs, startingWith: "client cannot connect")
            #expect(logged.first?.metadata[LogKey.tlsFailureReason] == "protocol_version", "\(logged)")
            let message = logged.first.map { "\($0.message)" } ?? ""
            #expect(message.contains("TLS versions below 1.2"), "\(message)")
        }
    }

    /// Bytes that are neither TLS nor HTTP are refused by TLS and logged as `not_tls`.
    @Test func bytesThatAreNotTLSAreLoggedAsSuch() async throws {
        let logs = InMemoryLogHandler()
        try await GatewayHarness.run(logs: logs) { gateway in
            let client = try await TestClient.connectPlain(
                to: try SocketAddress(ipAddress: "127.0.0.1", port: gateway.port)
            )
            try await client.send([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A])
            #expect(try await client.waitForClose())
            let logged = try await Self.waitForLines(logs, startingWith: "client cannot connect")
            #expect(logged.first?.metadata[LogKey.tlsFailureReason] == "not_tls", "\(logged)")
        }
    }

    /// For TLS 1.2 the server picks the suite by its own order (strongest first), not the client's:
    /// a client listing AES-128-GCM before AES-256-GCM gets AES-256-GCM.
    @Test func theServerChoosesTheTLS12CipherSuite() async throws {
        try await GatewayHarness.run { gateway in
            let suites = [
                "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384",
                "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-GCM-SHA384",
            ].joined(separator: ":")
            let chosen = try OpenSSLClient.negotiatedCipher(port: gateway.port, tls12CipherSuites: suites)
            #expect(chosen.hasSuffix("AES256-GCM-SHA384"), "negotiated \(chosen)")
            let withoutAES256 = try OpenSSLClient.negotiatedCipher(
                port: gateway.port,
                tls12CipherSuites: suites.split(separator: ":").filter { !$0.contains("AES256") }.joined(separator: ":")
            )
            #expect(withoutAES256.hasSuffix("CHACHA20-POLY1305"), "negotiated \(withoutAES256)")
        }
    }

    /// The listening line reads `127.0.0.1:PORT` (not NIO's `[IPv4]127.0.0.1/127.0.0.1:PORT`); a 404's line
    /// names the path it asked for, without the query.
    @Test func logLinesNameAddressesAndPathsAsPeopleWriteThem() async throws {
        let logs = InMemoryLogHandler()
        try await GatewayHarness.run(logs: logs) { gateway in
            let listening = Self.lines(logs, startingWith: "listening")
            #expect(listening.map { $0.metadata[LogKey.serverAddress] } == ["127.0.0.1:\(gateway.port)"])
            let admin = Self.lines(logs, startingWith: "admin listening")
            #expect(admin.map { $0.metadata[LogKey.serverAddress] } == ["\(gateway.adminSocketPath)"])

            let client = try await gateway.connect()
            let body = GatewayHarness.event()
            try await client.post(
                path: "/webhooks/strip?token=hidden",
                body: body,
                headers: [("stripe-signature", GatewayHarness.signature(for: body))]
            )
            #expect(try await client.readResponse().status == 404)
            await client.close()
            let requests = try await Self.waitForLines(logs, startingWith: "webhook request")
            #expect(requests.first?.metadata[LogKey.path] == "/webhooks/strip", "\(requests)")
            #expect(requests.first?.metadata[LogKey.peer].map { "\($0)".hasPrefix("127.0.0.1:") } == true)
        }
    }
}
