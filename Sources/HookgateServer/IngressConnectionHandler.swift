import HookgateCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// The webhook protocol work of one ingress connection, between NIO's HTTP/1.1 server handlers (codec,
/// `HTTPServerPipelineHandler` for pipelining and quiescing) with the gzip decompressor, and the connection's
/// async loop.
///
/// It executes what its ``StateMachine`` decides (limits, timeouts, early rejection, `100 Continue`): a
/// complete body goes through ``WebhookPipeline/check(body:head:endpoint:peer:)`` (source, signature,
/// envelope, mode) on the event loop; rejected requests are answered here, verified deliveries go on as one
/// ``WebhookRequest`` each, to be appended to the store. It frames each ``WebhookResponse``, with
/// `connection: close` where the connection closes afterwards. Decoder errors become 431 or 400, gzip limit
/// errors 413, timeouts 408.
final class IngressConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = WebhookRequest
    typealias OutboundIn = WebhookResponse
    typealias OutboundOut = HTTPServerResponsePart

    private let pipeline: WebhookPipeline
    private let peer: WebhookPipeline.Peer
    private let wireBytes: WireBytes
    private var state: StateMachine
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?

    /// A handler for a connection from `peer`, with the endpoints and limits of `settings`; `wireBytes` counts
    /// the connection's bytes before the HTTP decoder.
    init(settings: GatewaySettings, pipeline: WebhookPipeline, peer: WebhookPipeline.Peer, wireBytes: WireBytes) {
        self.state = StateMachine(settings: settings)
        self.pipeline = pipeline
        self.peer = peer
        self.wireBytes = wireBytes
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.state.connectionActive(now: context.eventLoop.now)
            self.armTimer(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.state.connectionActive(now: context.eventLoop.now)
        self.armTimer(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelTimer()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.state.connectionClosed()
        self.cancelTimer()
        context.fireChannelInactive()
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let action: StateMachine.Action
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            action = self.state.requestHead(head, now: context.eventLoop.now)
        case .body(let chunk):
            action = self.state.requestBody(chunk)
        case .end:
            action = self.state.requestEnd()
        }
        self.run(action, context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        let action = self.state.readCompleted(wireBytes: self.wireBytes.total, now: context.eventLoop.now)
        self.run(action, context: context)
        self.armTimer(context: context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let decompression as NIOHTTPDecompression.DecompressionError:
            let rejection: ErrorResponse = decompression == .limit ? .decompressionBomb : .malformedBody
            self.run(self.state.bodyUndecodable(rejection), context: context)
        case is NIOHTTPDecompression.ExtraDecompressionError:
            self.run(self.state.bodyUndecodable(.malformedBody), context: context)
        case is HTTPParserError where !context.channel.isActive:
            // The decoder reports the leftover bytes of a request head when the connection has closed: there is
            // no one to answer.
            self.state.connectionClosed()
        case let parser as HTTPParserError:
            let rejection: ErrorResponse = parser == .headerOverflow ? .headerTooLarge : .malformedRequest
            self.run(self.state.requestUnreadable(rejection), context: context)
        default:
            self.pipeline.logger.debug(
                "connection error",
                metadata: [LogKey.errorType: "\(String(reflecting: type(of: error)))"]
            )
            context.close(promise: nil)
        }
    }

    // MARK: Outbound

    /// The connection's async loop answers a verified request.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.respond(Self.unwrapOutboundIn(data), context: context, promise: promise)
    }

    // MARK: Actions

    private func run(_ action: StateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .sendContinue:
            let interim = HTTPResponseHead(version: .http1_1, status: .continue)
            context.writeAndFlush(Self.wrapOutboundOut(.head(interim)), promise: nil)
        case .verify(let head, let endpoint, let body, let startedAt):
            switch self.pipeline.check(body: body, head: head, endpoint: endpoint, peer: self.peer) {
            case .store(let delivery):
                context.fireChannelRead(Self.wrapInboundOut(WebhookRequest(delivery: delivery, startedAt: startedAt)))
            case .answer(let outcome):
                self.answer(outcome, endpoint: endpoint, head: head, startedAt: startedAt, context: context)
            }
        case .reject(let rejection, let head, let endpoint, let startedAt):
            self.answer(.init(rejection), endpoint: endpoint, head: head, startedAt: startedAt, context: context)
        case .answerAndClose(let error, let requestSeen):
            let response = self.pipeline.finish(.init(error), endpoint: nil, startedAt: .now(), peer: self.peer)
            let writeContext = requestSeen ? context : self.contextBelowPipelining(context)
            self.send(response, keepAlive: false, writingTo: writeContext, context: context, promise: nil)
        case .close:
            context.close(promise: nil)
        }
        self.armTimer(context: context)
    }

    /// Where an answer before any request head is written: below NIO's pipelining handler, which has no
    /// request to pair it with (and would take it for a second answer).
    private func contextBelowPipelining(_ context: ChannelHandlerContext) -> ChannelHandlerContext {
        (try? context.pipeline.syncOperations.context(handlerType: HTTPServerPipelineHandler.self)) ?? context
    }

    /// Answers a request on the event loop, without the async loop (every answer but the store's).
    private func answer(
        _ outcome: WebhookPipeline.Outcome,
        endpoint: GatewayEndpoint?,
        head: HTTPRequestHead,
        startedAt: NIODeadline,
        context: ChannelHandlerContext
    ) {
        let response = self.pipeline.finish(
            outcome,
            endpoint: endpoint?.name,
            startedAt: startedAt,
            peer: self.peer,
            target: head.uri
        )
        self.respond(response, context: context, promise: nil)
        context.flush()
    }

    /// Writes the answer to the current request; the connection stays open or closes after it.
    private func respond(_ response: WebhookResponse, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?)
    {
        guard let keepAlive = self.state.answerStarted(now: context.eventLoop.now) else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        self.armTimer(context: context)
        self.send(response, keepAlive: keepAlive, writingTo: context, context: context, promise: promise)
    }

    /// Writes one answer through `writeContext`; closes the connection after it unless `keepAlive`. The state
    /// machine has moved on already: NIO's pipelining handler may hand over the next request while the end
    /// of this answer is written.
    private func send(
        _ response: WebhookResponse,
        keepAlive: Bool,
        writingTo writeContext: ChannelHandlerContext,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        var body = context.channel.allocator.buffer(capacity: response.body.utf8.count)
        body.writeString(response.body)
        var headers = HTTPHeaders()
        headers.reserveCapacity(6)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.readableBytes))
        // This port speaks HTTPS only (a client that tried plain HTTP was told so); and an answer is JSON,
        // never to be sniffed as anything else (what a TLS audit, testssl.sh, checks for).
        headers.add(name: "strict-transport-security", value: "max-age=31536000")
        headers.add(name: "x-content-type-options", value: "nosniff")
        if let retryAfter = response.retryAfterSeconds {
            headers.add(name: "retry-after", value: String(retryAfter))
        }
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        }
        let head = HTTPResponseHead(version: .http1_1, status: response.status, headers: headers)
        writeContext.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        writeContext.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if keepAlive {
            writeContext.write(Self.wrapOutboundOut(.end(nil)), promise: promise)
        } else {
            writeContext.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { result in
                context.close(promise: nil)
                promise?.completeWith(result)
            }
        }
    }

    // MARK: Timer

    /// Makes the timer fire by the state machine's deadline. It is only rescheduled when the deadline moves
    /// earlier; when it fires early, the state machine says so and it is set again.
    private func armTimer(context: ChannelHandlerContext) {
        guard let deadline = self.state.deadline else { return }
        if let firesAt = self.timerFiresAt, firesAt <= deadline { return }
        self.timer?.cancel()
        self.timerFiresAt = deadline
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timer = nil
            self.timerFiresAt = nil
            self.run(self.state.timerFired(now: context.eventLoop.now), context: context)
        }
    }

    private func cancelTimer() {
        self.timer?.cancel()
        self.timer = nil
        self.timerFiresAt = nil
    }
}

@available(*, unavailable)
extension IngressConnectionHandler: Sendable {}
