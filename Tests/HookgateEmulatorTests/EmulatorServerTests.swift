import AsyncHTTPClient
import HookgateCore
import HookgateEmulator
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// The API on a real socket: answers over keep-alive connections, 413 in Stripe's shape for a body over the limit.
@Suite(.timeLimit(.minutes(1)))
struct EmulatorServerTests {
    /// Three requests over kept-alive connections are answered; a body one byte over the limit gets 413.
    @Test func answersOverASocketAndRefusesOversizedBodies() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let api = StripeAPI(forwards: false) { 1_796_400_000_000 }
        let channel = try await EmulatorServer(api: api, tls: nil).bind(host: "127.0.0.1", port: 0, group: group)
        let base = "http://127.0.0.1:\(channel.localAddress!.port!)"
        let client = HTTPClient(eventLoopGroup: group)

        for _ in 0..<3 {
            var request = HTTPClientRequest(url: base + "/v1/payment_intents")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(EmulatorTestClient.apiKey)")
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "amount=2000&currency=usd&metadata[order_id]=ord_socket"))
            let response = try await client.execute(request, timeout: .seconds(10))
            #expect(response.status.code == 200)
            #expect(response.headers.first(name: "server") == "Hookgate-Emulator (not Stripe)")
            let body = try JSONValueParser.parse(Array(buffer: try await response.body.collect(upTo: 1 << 20)))
            #expect(body["metadata"]?["order_id"] == .string("ord_socket"))
        }

        var oversized = HTTPClientRequest(url: base + "/v1/payment_intents")
        oversized.method = .POST
        oversized.headers.add(name: "Authorization", value: "Bearer \(EmulatorTestClient.apiKey)")
        oversized.body = .bytes(ByteBuffer(repeating: UInt8(ascii: "a"), count: StripeAPI.maximumBodyBytes + 1))
        let refused = try await client.execute(oversized, timeout: .seconds(10))
        #expect(refused.status.code == 413)
        let error = try JSONValueParser.parse(Array(buffer: try await refused.body.collect(upTo: 1 << 20)))
        #expect(error["error"]?["type"] == .string("invalid_request_error"))

        try await client.shutdown()
        try await channel.close()
        try await group.shutdownGracefully()
    }
}
