import AsyncHTTPClient
import HookgateCore
import HookgateEmulator
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// `--api-answer-delay`: a POST runs at once and is in the request log, its answer comes later.
@Suite(.timeLimit(.minutes(1)))
struct AnswerDelayTests {
    /// While the answer of a payment is held back, `/_emulator/requests` and the PaymentIntent list already show
    /// it; a client that gives up first and retries with the same key gets the saved answer (replayed).
    @Test func aPostRunsBeforeItsLateAnswer() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let api = StripeAPI(
            forwards: false,
            now: { 1_796_400_000_000 },
            faults: APIFaults(answerDelayMilliseconds: 3_000)
        )
        let channel = try await EmulatorServer(api: api, tls: nil).bind(host: "127.0.0.1", port: 0, group: group)
        let base = "http://127.0.0.1:\(channel.localAddress!.port!)"
        let client = HTTPClient(eventLoopGroup: group)
        func pay() -> HTTPClientRequest {
            var request = HTTPClientRequest(url: base + "/v1/payment_intents")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(EmulatorTestClient.apiKey)")
            request.headers.add(name: "Idempotency-Key", value: "cmd-late")
            request.body = .bytes(
                ByteBuffer(string: "amount=2000&currency=usd&payment_method=pm_card_visa&confirm=true")
            )
            return request
        }
        let local = EmulatorTestClient(api: api)

        let clock = ContinuousClock()
        let began = clock.now
        await #expect(throws: HTTPClientError.deadlineExceeded) {
            _ = try await client.execute(pay(), timeout: .milliseconds(500))
        }
        guard case .array(let logged)? = try local.get("/_emulator/requests").json["data"] else {
            Issue.record("no request log")
            return
        }
        #expect(logged.count == 1)
        #expect(logged.first?["status"] == .integer(200))
        #expect(logged.first?["idempotent_replayed"] == .bool(false))
        guard case .array(let intents)? = try local.get("/v1/payment_intents").json["data"] else { return }
        #expect(intents.first?["status"] == .string("succeeded"))

        let retried = try await client.execute(pay(), timeout: .seconds(10))
        #expect(retried.status.code == 200)
        #expect(retried.headers.first(name: "Idempotent-Replayed") == "true")
        #expect(clock.now - began >= .seconds(3), "the retry's answer waited too")
        guard case .array(let events)? = try local.get("/v1/events").json["data"] else { return }
        #expect(events.count == 3, "the payment ran once")

        try await client.shutdown()
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// GETs are answered at once.
    @Test func getsAreNotDelayed() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let api = StripeAPI(
            forwards: false,
            now: { 1_796_400_000_000 },
            faults: APIFaults(answerDelayMilliseconds: 60_000)
        )
        let channel = try await EmulatorServer(api: api, tls: nil).bind(host: "127.0.0.1", port: 0, group: group)
        let client = HTTPClient(eventLoopGroup: group)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(channel.localAddress!.port!)/v1/events")
        request.headers.add(name: "Authorization", value: "Bearer \(EmulatorTestClient.apiKey)")
        let answer = try await client.execute(request, timeout: .seconds(5))
        #expect(answer.status.code == 200)
        try await client.shutdown()
        try await channel.close()
        try await group.shutdownGracefully()
    }
}
