import HookgateCore
import NIOCore
import NIOHTTP1

/// Reads each request of one connection (the body up to ``StripeAPI/maximumBodyBytes``), has ``StripeAPI``
/// answer it and writes the answer (a POST's after ``APIFaults/answerDelayMilliseconds``); keep-alive as the
/// client asks.
final class EmulatorHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: StripeAPI
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    /// Set while a POST's answer waits out ``APIFaults/answerDelayMilliseconds``: the connection is not idle then.
    private var answerPending = false

    init(api: StripeAPI) {
        self.api = api
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = []
            self.tooLarge = false
        case .body(let buffer):
            if self.body.count + buffer.readableBytes > StripeAPI.maximumBodyBytes {
                self.tooLarge = true
                self.body = []
            } else if !self.tooLarge {
                self.body.append(contentsOf: buffer.readableBytesView)
            }
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            let response =
                if self.tooLarge {
                    Self.tooLargeResponse
                } else {
                    self.api.respond(
                        to: APIRequest(
                            method: head.method.rawValue,
                            target: head.uri,
                            headers: head.headers.map { ($0.name, $0.value) },
                            body: self.body
                        )
                    )
                }
            self.body = []
            let keepAlive = head.isKeepAlive && !self.tooLarge
            let delay = self.api.faults.answerDelayMilliseconds
            guard head.method == .POST, delay > 0 else {
                self.write(response, keepAlive: keepAlive, version: head.version, context: context)
                return
            }
            // The POST has run (and is in the request log); only its answer waits. The pipeline handler reads
            // no further request of this connection until this answer is written.
            self.answerPending = true
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(delay))) {
                self.answerPending = false
                self.write(response, keepAlive: keepAlive, version: head.version, context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            // A connection waiting for a delayed answer is busy, not idle (the delay may be longer than the idle
            // timeout).
            if !self.answerPending { context.close(promise: nil) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func write(_ response: APIResponse, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(response.headers)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status)
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))),
            promise: nil
        )
        context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// 413 in Stripe's error shape.
    private static let tooLargeResponse = APIResponse(
        status: 413,
        headers: [("Server", StripeAPI.serverName), ("Content-Type", "application/json")],
        body: Array(
            (StripeAPIError(
                status: 413,
                kind: .invalidRequest,
                code: nil,
                message: "The request body is larger than \(StripeAPI.maximumBodyBytes) bytes.",
                param: nil
            ).json.serialized(indent: 2) + "\n").utf8
        )
    )
}

@available(*, unavailable)
extension EmulatorHTTPHandler: Sendable {}
