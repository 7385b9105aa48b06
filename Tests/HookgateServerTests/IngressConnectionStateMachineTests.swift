import HookgateCore
import NIOCore
import NIOHTTP1
import Testing

@testable import HookgateServer

/// The connection's limits and timeouts as a plain value: no channel, the time passed in by hand.
struct IngressConnectionStateMachineTests {
    typealias StateMachine = IngressConnectionHandler.StateMachine

    /// An arbitrary start of the manual clock.
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    let limits: GatewayLimits = {
        var limits = GatewayLimits()
        limits.idleTimeout = .seconds(75)
        limits.headerReadTimeout = .seconds(10)
        limits.bodyReadTimeout = .seconds(30)
        limits.maximumBodyBytes = 1000
        limits.maximumDecompressedBytes = 500
        return limits
    }()

    /// A machine for one endpoint at `/webhooks/stripe` with a body limit of `endpointLimit`, connected at
    /// `start`.
    func machine(endpointLimit: Int = 800) throws -> StateMachine {
        let settings = GatewaySettings(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)],
            tls: TLSFiles(certificateChainPath: "/unused", privateKeyPath: "/unused"),
            endpoints: [try GatewayHarness.endpoint(maximumBodyBytes: endpointLimit)],
            limits: self.limits,
            admin: .unixSocket(path: "/unused")
        )
        var machine = StateMachine(settings: settings)
        machine.connectionActive(now: self.start)
        return machine
    }

    /// A request head; JSON to the test endpoint unless told otherwise.
    func head(
        method: HTTPMethod = .POST,
        path: String = "/webhooks/stripe",
        _ headers: [(String, String)] = [("content-type", "application/json")]
    ) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: HTTPHeaders(headers))
    }

    func bytes(_ count: Int) -> ByteBuffer {
        ByteBuffer(repeating: UInt8(ascii: "a"), count: count)
    }

    /// The idle timeout closes a connection that sent nothing, at its deadline and not a nanosecond before.
    @Test func idleTimeoutClosesAtItsDeadline() throws {
        var machine = try self.machine()
        let deadline = self.start + .seconds(75)
        #expect(machine.deadline == deadline)
        #expect(machine.timerFired(now: deadline - .nanoseconds(1)).summary == "none")
        #expect(machine.timerFired(now: deadline).summary == "close")
        #expect(machine.deadline == nil)
    }

    /// The header read timeout runs from the first byte and answers 408 with no request to pair it with.
    @Test func headerReadTimeoutRunsFromTheFirstByte() throws {
        var machine = try self.machine()
        let firstByte = self.start + .seconds(5)
        machine.bytesReceived(now: firstByte)
        machine.bytesReceived(now: firstByte + .seconds(3))  // later bytes do not extend it
        #expect(machine.deadline == firstByte + .seconds(10))
        #expect(machine.timerFired(now: firstByte + .seconds(10)).summary == "answerAndClose(408, requestSeen: false)")
    }

    /// The body read timeout runs from the head; an earlier timer (the header deadline) finds nothing due.
    @Test func bodyReadTimeoutRunsFromTheHead() throws {
        var machine = try self.machine()
        machine.bytesReceived(now: self.start)
        let headAt = self.start + .seconds(2)
        #expect(machine.requestHead(self.head(), now: headAt).summary == "none")
        #expect(machine.requestBody(self.bytes(10)).summary == "none")
        #expect(machine.deadline == headAt + .seconds(30))
        #expect(machine.timerFired(now: self.start + .seconds(10)).summary == "none")
        #expect(machine.timerFired(now: headAt + .seconds(30)).summary == "answerAndClose(408, requestSeen: true)")
    }

    /// A complete body is handed over for verification with no timer running; after the answer the idle
    /// timeout runs from the answer.
    @Test func answerRestartsTheIdleTimeout() throws {
        var machine = try self.machine()
        _ = machine.requestHead(self.head(), now: self.start)
        _ = machine.requestBody(self.bytes(300))
        #expect(machine.requestEnd().summary == "verify(/webhooks/stripe, 300 bytes)")
        #expect(machine.deadline == nil)
        let answeredAt = self.start + .seconds(1)
        #expect(machine.answerStarted(now: answeredAt) == true)
        #expect(machine.deadline == answeredAt + .seconds(75))
    }

    /// A body growing over the endpoint's limit is 413 at once, and the connection closes after it.
    @Test func bodyOverTheEndpointLimitIsRejectedAndCloses() throws {
        var machine = try self.machine(endpointLimit: 100)
        _ = machine.requestHead(self.head(), now: self.start)
        #expect(machine.requestBody(self.bytes(60)).summary == "none")
        #expect(machine.requestBody(self.bytes(41)).summary == "reject(413)")
        #expect(machine.answerStarted(now: self.start) == false)
    }

    /// The global body limit applies when the endpoint allows more.
    @Test func globalBodyLimitWins() throws {
        var machine = try self.machine(endpointLimit: 5000)
        _ = machine.requestHead(self.head(), now: self.start)
        #expect(machine.requestBody(self.bytes(1001)).summary == "reject(413)")
    }

    /// A declared length over the limit is 413 from the head, without reading the body; the connection closes.
    @Test func declaredLengthOverTheLimitIsRejectedFromTheHead() throws {
        var machine = try self.machine()
        let head = self.head([("content-type", "application/json"), ("content-length", "801")])
        #expect(machine.requestHead(head, now: self.start).summary == "reject(413)")
        #expect(machine.answerStarted(now: self.start) == false)
    }

    /// A gzip body is limited once decoded by the decompressed limit; a decompressor limit error is 413.
    @Test func gzipBodiesAreLimitedDecoded() throws {
        var machine = try self.machine()
        let gzip = self.head([("content-type", "application/json"), ("content-encoding", "gzip")])
        _ = machine.requestHead(gzip, now: self.start)
        #expect(machine.requestBody(self.bytes(501)).summary == "reject(413)")

        var bomb = try self.machine()
        _ = bomb.requestHead(gzip, now: self.start)
        #expect(bomb.bodyUndecodable(.decompressionBomb).summary == "reject(413)")
        #expect(bomb.answerStarted(now: self.start) == false)
    }

    /// A head rejected by the HTTP checks has its body read and dropped, then the answer keeps the connection.
    @Test(
        arguments: [
            (HTTPMethod.GET, "/webhooks/stripe", "application/json", 405),
            (.POST, "/nowhere", "application/json", 404),
            (.POST, "/webhooks/stripe", "text/plain", 415),
        ] as [(HTTPMethod, String, String, Int)]
    )
    func rejectedHeadDropsTheBodyAndKeepsTheConnection(
        method: HTTPMethod,
        path: String,
        type: String,
        status: Int
    )
        throws
    {
        var machine = try self.machine()
        let head = self.head(method: method, path: path, [("content-type", type)])
        #expect(machine.requestHead(head, now: self.start).summary == "none")
        #expect(machine.requestBody(self.bytes(500)).summary == "none")
        #expect(machine.requestEnd().summary == "reject(\(status))")
        #expect(machine.answerStarted(now: self.start) == true)
    }

    /// A dropped body over the global limit is cut off with the rejection, and the connection closes.
    @Test func droppedBodyOverTheGlobalLimitCloses() throws {
        var machine = try self.machine()
        _ = machine.requestHead(self.head(method: .PUT), now: self.start)
        #expect(machine.requestBody(self.bytes(1001)).summary == "reject(405)")
        #expect(machine.answerStarted(now: self.start) == false)
    }

    /// `Expect: 100-continue` gets the interim answer when the head is acceptable; otherwise the rejection
    /// comes at once and the connection closes (the client has not sent its body).
    @Test func expectContinue() throws {
        let expecting = [("content-type", "application/json"), ("expect", "100-continue")]
        var accepted = try self.machine()
        #expect(accepted.requestHead(self.head(expecting), now: self.start).summary == "sendContinue")
        var rejected = try self.machine()
        #expect(rejected.requestHead(self.head(path: "/nowhere", expecting), now: self.start).summary == "reject(404)")
        #expect(rejected.answerStarted(now: self.start) == false)
    }

    /// An unreadable request is answered and the connection closed when no answer is under way (before a head,
    /// or in a body whose framing cannot be read); during a pending answer, the connection closes after it.
    @Test func unreadableRequests() throws {
        var idle = try self.machine()
        #expect(idle.requestUnreadable(.headerTooLarge).summary == "answerAndClose(431, requestSeen: true)")

        var responding = try self.machine()
        _ = responding.requestHead(self.head(), now: self.start)
        _ = responding.requestEnd()
        #expect(responding.requestUnreadable(.malformedRequest).summary == "none")
        #expect(responding.answerStarted(now: self.start) == false)

        var reading = try self.machine()
        _ = reading.requestHead(self.head(), now: self.start)
        #expect(reading.requestUnreadable(.malformedRequest).summary == "reject(400)")
        #expect(reading.answerStarted(now: self.start) == false)
    }

    /// The bytes around a body (chunk framing) may exceed the body's own by at most the allowance, counted from
    /// the first read after the head; past it, 400 and the connection closes.
    @Test func framingBeyondTheAllowanceIsRefused() throws {
        let allowance = IngressConnectionHandler.StateMachine.framingAllowance
        var machine = try self.machine()
        _ = machine.requestHead(self.head(), now: self.start)
        #expect(machine.readCompleted(wireBytes: 500, now: self.start).summary == "none", "the mark")
        _ = machine.requestBody(ByteBuffer(repeating: 0x7b, count: 100))
        // 100 body bytes in 100 + allowance + 100 wire bytes: at the allowance, not past it.
        #expect(machine.readCompleted(wireBytes: 500 + allowance + 200, now: self.start).summary == "none")
        #expect(machine.readCompleted(wireBytes: 500 + allowance + 201, now: self.start).summary == "reject(400)")
        #expect(machine.answerStarted(now: self.start) == false)

        var honest = try self.machine()
        _ = honest.requestHead(self.head(), now: self.start)
        _ = honest.readCompleted(wireBytes: 0, now: self.start)
        for read in 1...100 {
            _ = honest.requestBody(ByteBuffer(repeating: 0x7b, count: 1_000))
            #expect(honest.readCompleted(wireBytes: read * 1_010, now: self.start).summary == "none")
        }
    }

    /// A client that asks for `connection: close` (or speaks HTTP/1.0) gets the connection closed after the answer.
    @Test func clientsAskingToCloseAreClosedAfterTheAnswer() throws {
        var machine = try self.machine()
        let head = self.head([("content-type", "application/json"), ("connection", "close")])
        _ = machine.requestHead(head, now: self.start)
        _ = machine.requestEnd()
        #expect(machine.answerStarted(now: self.start) == false)
        #expect(machine.answerStarted(now: self.start) == nil, "no second answer")
    }
}

extension IngressConnectionHandler.StateMachine.Action {
    /// The action in a few words, for comparisons.
    var summary: String {
        switch self {
        case .none: "none"
        case .sendContinue: "sendContinue"
        case .verify(let head, _, let body, _): "verify(\(head.uri), \(body.readableBytes) bytes)"
        case .reject(let rejection, _, _, _): "reject(\(rejection.status.code))"
        case .answerAndClose(let error, let requestSeen):
            "answerAndClose(\(error.status.code), requestSeen: \(requestSeen))"
        case .close: "close"
        }
    }
}
