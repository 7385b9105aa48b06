import NIOCore
import NIOHTTP1

/// Carries one request at a time on a kept-alive upstream connection: writes the request's bytes, reads the
/// response's status and `Retry-After`, reads and drops at most ``maximumBodyBytes`` of its body, and resolves
/// the request's promise.
///
/// The connection is closed after a response with `connection: close`, when a body is too long, at the request's
/// deadline, on an error, and when an `IdleStateHandler` says it sat idle. A request in flight when the
/// connection goes down fails with ``UpstreamTransportError/closedByUpstream``.
final class UpstreamResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = UpstreamRequest
    typealias OutboundOut = ByteBuffer

    /// Where the connection is in its request-response cycle.
    private enum State {
        /// No request in flight: the connection can take one.
        case idle
        /// A request was written; its response's head has not come yet.
        case awaitingHead(EventLoopPromise<UpstreamResponse>)
        /// The response's head came; its body is being read and dropped.
        case readingBody(EventLoopPromise<UpstreamResponse>, UpstreamResponse, bodyBytes: Int)
        /// The connection is closed or closing: it takes no more requests.
        case closed
    }

    private let decoder: UpstreamResponseDecoder
    private let maximumBodyBytes: Int
    private var state = State.idle
    private var context: ChannelHandlerContext?
    private var deadline: NIOScheduledCallback?

    /// - Parameters:
    ///   - decoder: The connection's response decoder, told of every request written.
    ///   - maximumBodyBytes: The longest response body read; a longer one fails the request.
    init(decoder: UpstreamResponseDecoder, maximumBodyBytes: Int) {
        self.decoder = decoder
        self.maximumBodyBytes = maximumBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(UpstreamTransportError.closedByUpstream, closing: false)
        self.context = nil
    }

    /// Writes a request, on an idle connection only; a closed one fails it at once.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = Self.unwrapOutboundIn(data)
        switch state {
        case .idle:
            break
        case .closed:
            request.response.fail(UpstreamTransportError.closedByUpstream)
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        case .awaitingHead, .readingBody:
            preconditionFailure("the connection pool sends one request at a time on a connection")
        }
        do {
            deadline = try context.eventLoop.assumeIsolated().scheduleCallback(at: request.deadline, handler: self)
        } catch {
            request.response.fail(error)
            promise?.fail(error)
            return
        }
        state = .awaitingHead(request.response)
        decoder.expectResponse()
        context.writeAndFlush(Self.wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            guard case .awaitingHead(let promise) = state else { return }
            let response = UpstreamResponse(
                status: Int(head.status.code),
                retryAfter: head.headers.first(name: "Retry-After"),
                keepAlive: head.isKeepAlive
            )
            state = .readingBody(promise, response, bodyBytes: 0)
        case .body(let body):
            guard case .readingBody(let promise, let response, let bodyBytes) = state else { return }
            let total = bodyBytes + body.readableBytes
            guard total <= maximumBodyBytes else {
                fail(UpstreamTransportError.responseTooLarge(limit: maximumBodyBytes))
                return
            }
            state = .readingBody(promise, response, bodyBytes: total)
        case .end:
            guard case .readingBody(let promise, let response, _) = state else { return }
            deadline?.cancel()
            deadline = nil
            if response.keepAlive {
                state = .idle
            } else {
                state = .closed
                context.close(promise: nil)
            }
            promise.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(UpstreamTransportError.closedByUpstream, closing: false)
        context.fireChannelInactive()
    }

    /// Fails the request in flight with the error (a response cut short by the upstream's close is
    /// ``UpstreamTransportError/closedByUpstream``) and closes the connection.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? HTTPParserError, error == .invalidEOFState {
            fail(UpstreamTransportError.closedByUpstream)
        } else {
            fail(error)
        }
    }

    /// Closes the connection when it sat idle with no request in flight.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if case .idle = state {
            state = .closed
            context.close(promise: nil)
        }
    }

    /// Fails the request in flight, if any, and (unless it is down already) closes the connection: it cannot
    /// carry another request.
    private func fail(_ error: any Error, closing: Bool = true) {
        deadline?.cancel()
        deadline = nil
        let previous = state
        state = .closed
        switch previous {
        case .awaitingHead(let promise), .readingBody(let promise, _, _):
            if closing { context?.close(promise: nil) }
            promise.fail(error)
        case .idle:
            if closing { context?.close(promise: nil) }
        case .closed:
            break
        }
    }
}

extension UpstreamResponseHandler: NIOScheduledCallbackHandler {
    /// The request's deadline passed: it fails with ``UpstreamTransportError/timeout``.
    func handleScheduledCallback(eventLoop: some EventLoop) {
        deadline = nil
        fail(UpstreamTransportError.timeout)
    }
}

extension UpstreamResponseHandler {
    /// Adds an upstream connection's handlers to its pipeline: NIO's response decoder, an idle timer, and the
    /// handler itself.
    /// - Parameters:
    ///   - maximumBodyBytes: The longest response body read; a longer one fails its request.
    ///   - idleTimeout: How long the connection may sit unused before it is closed.
    static func addHandlers(
        to pipeline: ChannelPipeline.SynchronousOperations,
        maximumBodyBytes: Int,
        idleTimeout: TimeAmount
    ) throws {
        let decoder = UpstreamResponseDecoder()
        try pipeline.addHandler(ByteToMessageHandler(decoder))
        try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
        try pipeline.addHandler(UpstreamResponseHandler(decoder: decoder, maximumBodyBytes: maximumBodyBytes))
    }
}

@available(*, unavailable)
extension UpstreamResponseHandler: Sendable {}
