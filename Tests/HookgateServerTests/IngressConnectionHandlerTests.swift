import HookgateCore
import HookgateStore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HookgateServer

/// An ingress connection's HTTP handlers on an `EmbeddedChannel` (no socket, no TLS): the test plays the
/// async loop's part, answering verified requests, and moves the clock by hand.
struct IngressConnectionHandlerTests {
    /// The answer the async loop gives a stored event.
    static func stored(_ request: WebhookRequest) -> WebhookResponse {
        WebhookResponse(status: .ok, body: #"{"id":"\#(request.delivery.eventID)","duplicate":false}"#)
    }

    /// Pipelined requests sent in one write are handed over one at a time and answered in order, a rejected
    /// one in between included.
    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let ingress = try EmbeddedIngress()
        let rejected = EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_lost"), path: "/nowhere")
        try ingress.send(
            EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_a")) + rejected
                + EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_b"))
        )
        let first = try ingress.verified()
        #expect(first.map(\.delivery.eventID) == ["evt_a"], "the others wait for the first answer")
        #expect(try ingress.responses().isEmpty)

        try ingress.answer(Self.stored(first[0]))
        #expect(try ingress.responses().map(\.status) == [200, 404])
        let second = try ingress.verified()
        #expect(second.map(\.delivery.eventID) == ["evt_b"])
        try ingress.answer(Self.stored(second[0]))
        let last = try ingress.responses()
        #expect(last.map(\.body) == [#"{"id":"evt_b","duplicate":false}"#])
        #expect(last.first?.headers["connection"] == nil)
        #expect(ingress.isOpen)
    }

    /// Every answer, an acceptance or a rejection, says the port is HTTPS only and its JSON is not to be sniffed.
    @Test func everyAnswerCarriesTheSecurityHeaders() throws {
        let ingress = try EmbeddedIngress()
        try ingress.send(
            EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_a"))
                + EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_b"), path: "/nowhere")
        )
        try ingress.answer(Self.stored(try #require(ingress.verified().first)))
        let responses = try ingress.responses()
        #expect(responses.map(\.status) == [200, 404])
        for response in responses {
            #expect(response.headers["strict-transport-security"] == "max-age=31536000")
            #expect(response.headers["x-content-type-options"] == "nosniff")
        }
    }

    /// A head still incomplete when the header read timeout ends is answered 408 and the connection closed,
    /// exactly at the deadline counted from its first byte.
    @Test func headerReadTimeoutAnswers408() throws {
        let ingress = try EmbeddedIngress(limits: .testing(headerReadTimeout: .seconds(10)))
        try ingress.send("POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\n")
        ingress.advance(by: .seconds(10) - .nanoseconds(1))
        #expect(try ingress.responses().isEmpty)
        #expect(ingress.isOpen)
        ingress.advance(by: .nanoseconds(1))
        let responses = try ingress.responses()
        #expect(responses.map(\.status) == [408])
        #expect(responses.first?.errorCode == "request_timeout")
        #expect(responses.first?.headers["connection"] == "close")
        #expect(!ingress.isOpen)
    }

    /// A body that stops arriving is answered 408 when the body read timeout (from the head) ends.
    @Test func bodyReadTimeoutAnswers408() throws {
        let ingress = try EmbeddedIngress(limits: .testing(bodyReadTimeout: .seconds(30)))
        try ingress.send(
            "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"
        )
        ingress.advance(by: .seconds(29))
        #expect(try ingress.responses().isEmpty)
        ingress.advance(by: .seconds(1))
        #expect(try ingress.responses().map(\.status) == [408])
        #expect(!ingress.isOpen)
    }

    /// An idle keep-alive connection is closed without an answer when the idle timeout after the last
    /// answer ends, not before.
    @Test func idleConnectionIsClosedAfterTheIdleTimeout() throws {
        let ingress = try EmbeddedIngress(limits: .testing(idleTimeout: .seconds(75)))
        ingress.advance(by: .seconds(60))
        try ingress.send(EmbeddedIngress.signedRequest(GatewayHarness.event()))
        try ingress.answer(Self.stored(try #require(ingress.verified().first)))
        #expect(try ingress.responses().map(\.status) == [200])
        ingress.advance(by: .seconds(75) - .nanoseconds(1))
        #expect(ingress.isOpen, "the idle timeout runs from the answer")
        ingress.advance(by: .nanoseconds(1))
        #expect(!ingress.isOpen)
        #expect(try ingress.responses().isEmpty)
    }

    /// Decoder and size errors map to 431, 400 and 413 with the gateway's JSON body, and the connection closes.
    @Test(
        arguments: [
            (
                "POST /webhooks/stripe HTTP/1.1\r\nx-padding: \(String(repeating: "b", count: 20_000))\r\n\r\n", 431,
                "header_too_large"
            ),
            ("THIS IS NOT HTTP\r\n\r\n", 400, "malformed_request"),
            (
                "POST /webhooks/stripe HTTP/1.1\r\ncontent-type: application/json\r\ncontent-length: 70000\r\n\r\n",
                413,
                "payload_too_large"
            ),
        ] as [(String, Int, String)]
    )
    func errorsMapToStatuses(request: String, status: Int, code: String) throws {
        let ingress = try EmbeddedIngress()
        try? ingress.send(request)
        let responses = try ingress.responses()
        #expect(responses.map(\.status) == [status])
        #expect(responses.first?.errorCode == code)
        #expect(responses.first?.headers["content-type"] == "application/json")
        #expect(responses.first?.headers["connection"] == "close")
        #expect(!ingress.isOpen)
    }

    /// Bytes that are not HTTP pipelined behind a request waiting for the store are answered 400 after that
    /// request's answer, and then the connection closes.
    @Test func unreadableRequestBehindAPendingOneIsAnsweredInTurn() throws {
        let ingress = try EmbeddedIngress()
        try ingress.send(
            EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_first")) + Array("NOT HTTP\r\n\r\n".utf8)
        )
        let pending = try ingress.verified()
        #expect(try ingress.responses().isEmpty)
        try ingress.answer(Self.stored(try #require(pending.first)))
        let responses = try ingress.responses()
        #expect(responses.map(\.status) == [200, 400])
        #expect(responses.map { $0.headers["connection"] } == [nil, "close"])
        #expect(!ingress.isOpen)
    }

    /// `Expect: 100-continue` gets the interim answer, then the body is read and handed over.
    @Test func expectContinueGetsTheInterimAnswer() throws {
        let ingress = try EmbeddedIngress()
        let body = GatewayHarness.event(id: "evt_continue")
        let request = EmbeddedIngress.signedRequest(body, extraHeaders: "expect: 100-continue\r\n")
        try ingress.send(Array(request.dropLast(body.count)))
        #expect(try ingress.responses().map(\.status) == [100])
        try ingress.send(body)
        #expect(try ingress.verified().map(\.delivery.eventID) == ["evt_continue"])
    }

    /// On quiesce an idle connection closes at once, without an answer; so does one that has sent only part of
    /// a request head (NIO's pipelining handler counts it as idle).
    @Test(arguments: ["", "POST /webhooks/stripe HTTP/1.1\r\nhost"])
    func quiesceClosesAnIdleConnection(partialHead: String) throws {
        let ingress = try EmbeddedIngress()
        try ingress.send(partialHead)
        ingress.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!ingress.isOpen)
        #expect(try ingress.responses().isEmpty)
    }

    /// On quiesce a request in flight is still answered, with `connection: close`, and then the connection
    /// closes; a request pipelined behind it is dropped.
    @Test func quiesceLetsTheRequestInFlightFinish() throws {
        let ingress = try EmbeddedIngress()
        try ingress.send(
            EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_inflight"))
                + EmbeddedIngress.signedRequest(GatewayHarness.event(id: "evt_behind"))
        )
        let inFlight = try ingress.verified()
        ingress.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(ingress.isOpen)
        try ingress.answer(Self.stored(try #require(inFlight.first)))
        let responses = try ingress.responses()
        #expect(responses.map(\.body) == [#"{"id":"evt_inflight","duplicate":false}"#])
        #expect(responses.first?.headers["connection"] == "close")
        #expect(!ingress.isOpen)
        #expect(try ingress.verified().isEmpty)
    }
}
