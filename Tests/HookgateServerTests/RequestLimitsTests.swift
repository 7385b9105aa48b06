import Foundation
import HookgateCore
import HookgateServer
import HookgateStore
import HookgateTestSupport
import Testing

/// Sizes, encodings, timeouts and the connection limit, over real TLS.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct RequestLimitsTests {
    /// `gzip -c` of `bytes`.
    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let result = try SpawnedProcess.run(
            executable: "/usr/bin/gzip",
            arguments: ["-c"],
            environment: [:],
            stdin: Data(bytes)
        )
        return [UInt8](result.stdout)
    }

    /// A gzip body is decoded; the signature covers the decoded JSON, which is what is stored.
    @Test func gzipBodyIsDecodedAndStored() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_gzip", padding: 4000)
            let compressed = try self.gzip(body)
            try await client.post(
                body: compressed,
                headers: [("stripe-signature", GatewayHarness.signature(for: body)), ("content-encoding", "gzip")]
            )
            let response = try await client.readResponse()
            #expect(response.status == 200)
            let rows = try await gateway.stored(eventID: "evt_gzip")
            #expect(rows.first.map { [UInt8]($0.received.body) } == body)
            await client.close()
        }
    }

    /// A gzip bomb (10 MB of zeros in about 10 KB) is 413 without being inflated.
    @Test func gzipBombIsRejected() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let bomb = try self.gzip([UInt8](repeating: 0x20, count: 10 << 20))
            try await client.post(
                body: bomb,
                headers: [("content-encoding", "gzip"), ("stripe-signature", "t=1,v1=00")]
            )
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.errorCode == "payload_too_large")
        }
    }

    /// A body that is not gzip although declared so is 400 `malformed_body`.
    @Test func corruptGzipIsMalformed() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            try await client.post(
                body: Array("definitely not gzip".utf8),
                headers: [("content-encoding", "gzip"), ("stripe-signature", "t=1,v1=00")]
            )
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.errorCode == "malformed_body")
        }
    }

    /// A header block over the limit is 431.
    @Test func oversizedHeaderBlockIs431() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let big = String(repeating: "b", count: 20 * 1024)
            try await client.post(body: GatewayHarness.event(), headers: [("x-padding", big)])
            let response = try await client.readResponse()
            #expect(response.status == 431)
            #expect(response.errorCode == "header_too_large")
            #expect(try await client.waitForClose())
        }
    }

    /// A request line over the header limit is 431 too.
    @Test func oversizedRequestLineIs431() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let path = "/webhooks/" + String(repeating: "p", count: 40 * 1024)
            try await client.send("POST \(path) HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 431)
            #expect(try await client.waitForClose())
        }
    }

    /// A client sending its headers a byte at a time is cut off by the header read timeout.
    @Test func slowHeadersAreCutOff() async throws {
        try await GatewayHarness.run(limits: .testing(headerReadTimeout: .milliseconds(600))) { gateway in
            let client = try await gateway.connect()
            let request = Array(
                "POST /webhooks/stripe HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n".utf8
            )
            var answered: TestClient.Response?
            var sent = 0
            for byte in request {
                do {
                    try await client.send([byte])
                } catch {
                    break
                }
                sent += 1
                try await Task.sleep(for: .milliseconds(150))
                if !client.isActive { break }
            }
            answered = try? await client.readResponse()
            #expect(answered?.status == 408)
            #expect(answered?.errorCode == "request_timeout")
            // A byte every 150 ms, the head would take 12 s: the connection ends long before it is all sent.
            #expect(sent < request.count / 2, "\(sent) of \(request.count) bytes were sent")
            #expect(try await client.waitForClose())
        }
    }

    /// A body that stops arriving is cut off by the body read timeout.
    @Test func slowBodyIsCutOff() async throws {
        try await GatewayHarness.run(limits: .testing(bodyReadTimeout: .milliseconds(500))) { gateway in
            let client = try await gateway.connect()
            try await client.send(
                "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"
            )
            let response = try await client.readResponse()
            #expect(response.status == 408)
            #expect(try await client.waitForClose())
        }
    }

    /// An idle keep-alive connection is closed after the idle timeout, not before. (3 s: long enough that a
    /// loaded CI machine still gets the request in after the handshake; 1.5 s was not, once.)
    @Test func idleConnectionIsClosed() async throws {
        try await GatewayHarness.run(limits: .testing(idleTimeout: .seconds(3))) { gateway in
            let client = try await gateway.connect()
            #expect(try await gateway.postSigned(client, body: GatewayHarness.event()).status == 200)
            let start = ContinuousClock.now
            #expect(try await client.waitForClose(timeout: .seconds(15)))
            #expect(ContinuousClock.now - start >= .milliseconds(2500))
        }
    }

    /// Connections over the limit are closed at once; the others keep working.
    @Test func connectionsOverTheLimitAreClosed() async throws {
        try await GatewayHarness.run(limits: .testing(maximumConnections: 2)) { gateway in
            let first = try await gateway.connect()
            let second = try await gateway.connect()
            let third = try await TestClient.connect(port: gateway.port)
            await #expect(throws: (any Error).self) { try await third.waitForHandshake() }
            #expect(try await gateway.postSigned(first, body: GatewayHarness.event()).status == 200)
            #expect(try await gateway.postSigned(second, body: GatewayHarness.event()).status == 200)
            await first.close()
            await second.close()
        }
    }

    /// Unparseable HTTP is 400 `malformed_request`.
    @Test func garbageIsMalformedRequest() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            try await client.send("THIS IS NOT HTTP\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.errorCode == "malformed_request")
        }
    }
}
