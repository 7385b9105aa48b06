import HookgateCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

/// The HTTP/1.1 protocol work of one ingress connection, between the decoder and the async request loop.
///
/// - Checks each request head (method, path, media type, content encoding) and reads the body up to the
///   endpoint's limit without buffering more; then runs ``WebhookPipeline/check(body:head:endpoint:peer:)``
///   (source, signature, envelope, mode). Rejected requests are answered here, on the event loop; verified
///   deliveries go on as one ``WebhookRequest`` each, to be appended to the store.
/// - Enforces the keep-alive idle timeout, the header read timeout (from the first byte after the previous
///   answer) and the body read timeout, answering 408 where a request was begun.
/// - Turns decoder errors into 431 (header block too large) or 400, and gzip limit errors into 413.
/// - Frames each ``WebhookResponse``, keeps the connection alive or closes it, holds pipelined requests
///   until the previous answer is written, and closes idle connections on `ChannelShouldQuiesceEvent`.
final class RequestLimitsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = WebhookRequest
    typealias OutboundIn = WebhookResponse
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for a request head; `receiving` once bytes of it arrived.
        case idle(receiving: Bool)
        /// Reading the body of an acceptable request.
        case readingBody(
            head: HTTPRequestHead,
            endpoint: GatewayEndpoint,
            body: ByteBuffer?,
            limit: Int,
            start: NIODeadline
        )
        /// Reading (and dropping) the body of a request that will be rejected.
        case discarding(
            head: HTTPRequestHead,
            rejection: ErrorResponse,
            endpoint: GatewayEndpoint?,
            dropped: Int,
            start: NIODeadline
        )
        /// The request went to the async loop (the store), or is being answered; waiting for the answer.
        case responding(keepAlive: Bool)
        /// The last answer is written or being written; the connection closes.
        case closing
    }

    private let snapshot: IngressSnapshot
    private let pipeline: WebhookPipeline
    private let peer: WebhookPipeline.Peer
    private var state = State.idle(receiving: false)
    /// Close after the current answer (draining, or a body left unread).
    private var closeAfterAnswer = false
    /// Parts of pipelined requests that arrived while an answer was pending.
    private var pending = CircularBuffer<HTTPServerRequestPart>()
    /// A `read` held back while an answer is pending.
    private var readHeld = false
    private var deadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?

    private var limits: GatewayLimits { self.snapshot.settings.limits }

    init(snapshot: IngressSnapshot, pipeline: WebhookPipeline, peer: WebhookPipeline.Peer) {
        self.snapshot = snapshot
        self.pipeline = pipeline
        self.peer = peer
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.setDeadline(.now() + self.limits.idleTimeout.timeAmount, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.setDeadline(.now() + self.limits.idleTimeout.timeAmount, context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        self.state = .closing
        context.fireChannelInactive()
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = Self.unwrapInboundIn(data)
        switch self.state {
        case .responding, .closing:
            self.pending.append(part)
        case .idle, .readingBody, .discarding:
            self.handle(part, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Bytes arrived; if no head is complete yet, the header read timeout runs from now.
        if case .idle(receiving: false) = self.state {
            self.state = .idle(receiving: true)
            self.setDeadline(.now() + self.limits.headerReadTimeout.timeAmount, context: context)
        }
        context.fireChannelReadComplete()
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch (self.state, part) {
        case (.idle, .head(let head)):
            let start = NIODeadline.now()
            self.setDeadline(start + self.limits.bodyReadTimeout.timeAmount, context: context)
            switch self.check(head) {
            case .success(let (endpoint, limit)):
                self.state = .readingBody(head: head, endpoint: endpoint, body: nil, limit: limit, start: start)
                if Self.expectsContinue(head) {
                    let interim = HTTPResponseHead(version: .http1_1, status: .continue)
                    context.writeAndFlush(Self.wrapOutboundOut(.head(interim)), promise: nil)
                }
            case .failure(let rejection):
                let endpoint = self.snapshot.endpoint(forTarget: head.uri)
                if rejection.code == ErrorResponse.payloadTooLarge.code || Self.expectsContinue(head) {
                    // A declared length over the limit, or a client waiting for 100 Continue before it sends
                    // the body: answer now, do not read the body.
                    self.reject(head: head, rejection, endpoint: endpoint, start: start, context: context)
                } else {
                    self.state = .discarding(
                        head: head,
                        rejection: rejection,
                        endpoint: endpoint,
                        dropped: 0,
                        start: start
                    )
                }
            }

        case (.readingBody(let head, let endpoint, var body, let limit, let start), .body(var chunk)):
            let received = (body?.readableBytes ?? 0) + chunk.readableBytes
            guard received <= limit else {
                self.reject(head: head, .payloadTooLarge, endpoint: endpoint, start: start, context: context)
                return
            }
            self.state = .closing  // Avoids a copy-on-write of `body` while it is appended to.
            if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
            self.state = .readingBody(head: head, endpoint: endpoint, body: body, limit: limit, start: start)

        case (.readingBody(let head, let endpoint, let body, _, let start), .end):
            let buffer = body ?? context.channel.allocator.buffer(capacity: 0)
            switch self.pipeline.check(body: buffer, head: head, endpoint: endpoint, peer: self.peer) {
            case .store(let delivery):
                self.state = .responding(keepAlive: head.isKeepAlive)
                self.deadline = nil
                context.fireChannelRead(Self.wrapInboundOut(WebhookRequest(delivery: delivery, startedAt: start)))
            case .answer(let outcome):
                self.answer(outcome, endpoint: endpoint, head: head, start: start, context: context)
            }

        case (.discarding(let head, let rejection, let endpoint, let dropped, let start), .body(let chunk)):
            let total = dropped + chunk.readableBytes
            if total > self.limits.maximumBodyBytes {
                self.reject(head: head, rejection, endpoint: endpoint, start: start, context: context)
            } else {
                self.state = .discarding(
                    head: head,
                    rejection: rejection,
                    endpoint: endpoint,
                    dropped: total,
                    start: start
                )
            }

        case (.discarding(let head, let rejection, let endpoint, _, let start), .end):
            self.answer(.init(rejection), endpoint: endpoint, head: head, start: start, context: context)

        case (.idle, .body), (.idle, .end), (.readingBody, .head), (.discarding, .head), (.responding, _),
            (.closing, _):
            // The decoder does not produce these sequences.
            break
        }
    }

    /// Checks a request head: method, path, media type and encoding, then the declared length.
    private func check(_ head: HTTPRequestHead) -> Result<(GatewayEndpoint, Int), ErrorResponse> {
        guard head.method == .POST else { return .failure(.methodNotAllowed) }
        guard let endpoint = self.snapshot.endpoint(forTarget: head.uri) else { return .failure(.notFound) }
        guard let contentType = head.headers.first(name: "content-type"), Self.isJSON(contentType) else {
            return .failure(.unsupportedMediaType)
        }
        let limit = min(endpoint.maximumBodyBytes, self.limits.maximumBodyBytes)
        switch head.headers.first(name: "content-encoding").map({ $0.lowercased() }) {
        case nil, "identity":
            break
        case "gzip":
            // The limit applies to the decoded body (the decompressor sits before this handler).
            if let length = Self.declaredLength(head), length > limit { return .failure(.payloadTooLarge) }
            return .success((endpoint, min(limit, self.limits.maximumDecompressedBytes)))
        default:
            return .failure(.unsupportedEncoding)
        }
        if let length = Self.declaredLength(head), length > limit { return .failure(.payloadTooLarge) }
        return .success((endpoint, limit))
    }

    private static func expectsContinue(_ head: HTTPRequestHead) -> Bool {
        head.headers.first(name: "expect")?.lowercased() == "100-continue"
    }

    private static func declaredLength(_ head: HTTPRequestHead) -> Int? {
        head.headers.first(name: "content-length").flatMap { Int($0) }
    }

    /// Whether a `Content-Type` value is `application/json`, with any parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType =
            contentType.utf8.firstIndex(of: UInt8(ascii: ";")).map { contentType[..<$0] } ?? contentType[...]
        let trimmed = mediaType.utf8.drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }
        let expected = "nosj/noitacilppa".utf8
        return trimmed.count == expected.count
            && zip(trimmed, expected).allSatisfy { ($0 | 0x20) == $1 || ($0 == $1) }
    }

    /// Answers an early rejection and closes: the rest of the body is not read.
    private func reject(
        head: HTTPRequestHead,
        _ rejection: ErrorResponse,
        endpoint: GatewayEndpoint?,
        start: NIODeadline,
        context: ChannelHandlerContext
    ) {
        self.closeAfterAnswer = true
        self.answer(.init(rejection), endpoint: endpoint, head: head, start: start, context: context)
    }

    /// Answers a request on the event loop, without the async loop (every answer but the store's).
    private func answer(
        _ outcome: WebhookPipeline.Outcome,
        endpoint: GatewayEndpoint?,
        head: HTTPRequestHead,
        start: NIODeadline,
        context: ChannelHandlerContext
    ) {
        self.state = .responding(keepAlive: head.isKeepAlive)
        self.deadline = nil
        let response = self.pipeline.finish(
            outcome,
            endpoint: endpoint?.name,
            startedAt: start,
            peer: self.peer,
            target: head.uri
        )
        self.respond(response, context: context, promise: nil)
        context.flush()
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.respond(Self.unwrapOutboundIn(data), context: context, promise: promise)
    }

    /// Writes the answer to the current request, then waits for the next one or closes.
    private func respond(_ response: WebhookResponse, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?)
    {
        guard case .responding(let keepAlive) = self.state else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        self.send(
            response,
            keepAlive: keepAlive && !self.closeAfterAnswer,
            context: context,
            promise: promise
        )
        if keepAlive && !self.closeAfterAnswer {
            self.state = .idle(receiving: false)
            self.setDeadline(.now() + self.limits.idleTimeout.timeAmount, context: context)
            self.resume(context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        switch self.state {
        case .responding, .closing:
            self.readHeld = true
        case .idle, .readingBody, .discarding:
            context.read()
        }
    }

    /// Delivers parts of pipelined requests that waited, then reads again.
    private func resume(context: ChannelHandlerContext) {
        if !self.pending.isEmpty {
            // The async channel delivers what it was given on the next read-complete.
            defer { context.fireChannelReadComplete() }
            while !self.pending.isEmpty {
                switch self.state {
                case .idle, .readingBody, .discarding:
                    self.handle(self.pending.removeFirst(), context: context)
                case .responding, .closing:
                    return  // The next answer resumes again.
                }
            }
        }
        switch self.state {
        case .idle, .readingBody, .discarding:
            if self.readHeld {
                self.readHeld = false
                context.read()
            }
        case .responding, .closing:
            break
        }
    }

    /// Writes one answer; closes the connection after it unless `keepAlive`.
    private func send(
        _ response: WebhookResponse,
        keepAlive: Bool,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) {
        var body = context.channel.allocator.buffer(capacity: response.body.utf8.count)
        body.writeString(response.body)
        var headers = HTTPHeaders()
        headers.reserveCapacity(4)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.readableBytes))
        if let retryAfter = response.retryAfterSeconds {
            headers.add(name: "retry-after", value: String(retryAfter))
        }
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        }
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers))),
            promise: nil
        )
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if keepAlive {
            context.write(Self.wrapOutboundOut(.end(nil)), promise: promise)
        } else {
            self.state = .closing
            self.deadline = nil
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { result in
                context.close(promise: nil)
                promise?.completeWith(result)
            }
        }
    }

    /// Answers from this handler (timeouts, unreadable requests) and closes.
    private func answerAndClose(_ error: ErrorResponse, context: ChannelHandlerContext) {
        let response = self.pipeline.finish(.init(error), endpoint: nil, startedAt: .now(), peer: self.peer)
        self.send(response, keepAlive: false, context: context, promise: nil)
    }

    // MARK: Events and errors

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            self.closeAfterAnswer = true
            if case .idle(receiving: false) = self.state, self.pending.isEmpty {
                self.state = .closing
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let decompression as NIOHTTPDecompression.DecompressionError:
            self.bodyFailed(decompression == .limit ? .decompressionBomb : .malformedBody, context: context)
        case is NIOHTTPDecompression.ExtraDecompressionError:
            self.bodyFailed(.malformedBody, context: context)
        case let parser as HTTPParserError:
            self.requestUnreadable(parser == .headerOverflow ? .headerTooLarge : .malformedRequest, context: context)
        default:
            self.pipeline.logger.debug(
                "connection error",
                metadata: [LogKey.errorType: "\(String(reflecting: type(of: error)))"]
            )
            context.close(promise: nil)
        }
    }

    /// A body that cannot be decoded or is too large once decoded.
    private func bodyFailed(_ rejection: ErrorResponse, context: ChannelHandlerContext) {
        switch self.state {
        case .readingBody(let head, let endpoint, _, _, let start):
            self.reject(head: head, rejection, endpoint: endpoint, start: start, context: context)
        case .discarding, .idle, .responding, .closing:
            break  // Already rejected, or the body is ignored anyway.
        }
    }

    /// A request the decoder cannot read: answer if nothing else is pending, then close.
    private func requestUnreadable(_ rejection: ErrorResponse, context: ChannelHandlerContext) {
        switch self.state {
        case .idle:
            self.answerAndClose(rejection, context: context)
        case .readingBody, .discarding, .responding:
            self.closeAfterAnswer = true
            if case .responding = self.state { return }
            self.state = .closing
            context.close(promise: nil)
        case .closing:
            break
        }
    }

    // MARK: Timeouts

    /// Sets when the current wait ends. The timer is only rescheduled when the deadline moves earlier.
    private func setDeadline(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        self.deadline = deadline
        if let firesAt = self.timerFiresAt, firesAt <= deadline { return }
        self.timer?.cancel()
        self.schedule(at: deadline, context: context)
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        self.timerFiresAt = deadline
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        self.timer = nil
        self.timerFiresAt = nil
        guard let deadline = self.deadline else { return }
        guard NIODeadline.now() >= deadline else {
            self.schedule(at: deadline, context: context)
            return
        }
        self.deadline = nil
        switch self.state {
        case .idle(receiving: false):
            self.state = .closing
            context.close(promise: nil)
        case .idle(receiving: true), .readingBody, .discarding:
            self.answerAndClose(.requestTimeout, context: context)
        case .responding, .closing:
            break
        }
    }
}

@available(*, unavailable)
extension RequestLimitsHandler: Sendable {}
