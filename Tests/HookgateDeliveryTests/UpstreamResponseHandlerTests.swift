import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import HookgateDelivery

/// The upstream connection's pipeline (NIO's response decoder, the idle timer, ``UpstreamResponseHandler``) on
/// an in-memory channel: what a response resolves a request to, and when the connection is given up.
struct UpstreamResponseHandlerTests {
    /// The request bytes every test writes.
    static let requestBytes = "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"

    /// A connected channel with the upstream pipeline, a body limit of 16 bytes and an idle timeout of 60 s.
    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try UpstreamResponseHandler.addHandlers(
            to: channel.pipeline.syncOperations,
            maximumBodyBytes: 16,
            idleTimeout: .seconds(60)
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        return channel
    }

    /// Writes a request with a deadline `timeout` from the loop's now; returns its answer's future.
    static func send(
        on channel: EmbeddedChannel,
        timeout: TimeAmount = .seconds(5)
    ) throws -> EventLoopFuture<UpstreamResponse> {
        let promise = channel.eventLoop.makePromise(of: UpstreamResponse.self)
        try channel.writeOutbound(
            UpstreamRequest(
                bytes: ByteBuffer(string: requestBytes),
                deadline: channel.embeddedEventLoop.now + timeout,
                response: promise
            )
        )
        return promise.futureResult
    }

    /// The request's bytes go out in one write; the status and `Retry-After` are read, the body dropped, and
    /// the connection stays open for the next request.
    @Test func statusAndRetryAfterAreReadAndTheConnectionIsKept() throws {
        let channel = try Self.channel()
        let first = try Self.send(on: channel)
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: Self.requestBytes))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(
            ByteBuffer(string: "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 5\r\n\r\nhello")
        )
        #expect(try first.wait() == UpstreamResponse(status: 503, retryAfter: "7", keepAlive: true))
        #expect(channel.isActive)

        let second = try Self.send(on: channel)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 204 No Content\r\n\r\n"))
        #expect(try second.wait() == UpstreamResponse(status: 204, retryAfter: nil, keepAlive: true))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    /// A body longer than the limit, even across reads, fails the request and closes the connection.
    @Test func aBodyOverTheLimitFails() throws {
        let channel = try Self.channel()
        let response = try Self.send(on: channel)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n0123456789"))
        #expect(channel.isActive)
        try channel.writeInbound(ByteBuffer(string: "0123456"))
        #expect(throws: UpstreamTransportError.responseTooLarge(limit: 16)) { try response.wait() }
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    /// A response with `connection: close` is returned as not kept alive, and the connection is closed.
    @Test func connectionCloseClosesTheConnectionAfterTheResponse() throws {
        let channel = try Self.channel()
        let response = try Self.send(on: channel)
        try channel.writeInbound(
            ByteBuffer(string: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
        )
        #expect(try response.wait() == UpstreamResponse(status: 200, retryAfter: nil, keepAlive: false))
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    /// The connection going down in the middle of a response fails the request as closed by the upstream.
    @Test func aCloseMidResponseFails() throws {
        let channel = try Self.channel()
        let response = try Self.send(on: channel)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
        try channel.close().wait()
        #expect(throws: UpstreamTransportError.closedByUpstream) { try response.wait() }
    }

    /// The connection going down before any answer fails the request as closed by the upstream.
    @Test func aCloseBeforeTheAnswerFails() throws {
        let channel = try Self.channel()
        let response = try Self.send(on: channel)
        try channel.close().wait()
        #expect(throws: UpstreamTransportError.closedByUpstream) { try response.wait() }
    }

    /// At the deadline the request fails with a timeout and the connection is closed.
    @Test func theDeadlineFailsWithTimeout() throws {
        let channel = try Self.channel()
        let response = try Self.send(on: channel, timeout: .seconds(1))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(999))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(throws: UpstreamTransportError.timeout) { try response.wait() }
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    /// The idle timer's event closes a connection with no request in flight; with one in flight it does
    /// nothing (the request's deadline governs). (`IdleStateHandler` reads the wall clock, so the event is fired
    /// here by hand.)
    @Test func onlyAnIdleConnectionIsClosedByTheIdleTimer() throws {
        let channel = try Self.channel()
        let response = try Self.send(on: channel)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(channel.isActive)
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(try response.wait().status == 200)
        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }

    /// A response nobody asked for is a protocol error: the connection is closed.
    @Test func anUnsolicitedResponseClosesTheConnection() throws {
        let channel = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(!channel.isActive)
        _ = try channel.finish(acceptAlreadyClosed: true)
    }
}
