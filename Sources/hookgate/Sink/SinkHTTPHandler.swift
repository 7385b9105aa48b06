import HookgateCore
import NIOCore
import NIOHTTP1

/// Answers the requests of one connection to the sink: reads the body (up to a limit), decides the status,
/// answers after the configured delay and reports the request.
final class SinkHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// What every connection of one sink shares.
    struct Settings: Sendable {
        var policy: SinkResponsePolicy
        var maximumBodyBytes: Int
        var signatureCheck: SinkSignatureCheck?
        var output: SinkOutput
        var tally: SinkTally
    }

    private let settings: Settings
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyBytes = 0

    init(settings: Settings) {
        self.settings = settings
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = []
            self.bodyBytes = 0
        case .body(let buffer):
            self.bodyBytes += buffer.readableBytes
            if self.bodyBytes <= self.settings.maximumBodyBytes {
                self.body.append(contentsOf: buffer.readableBytesView)
            } else {
                self.body = []
            }
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            self.answer(head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let number = self.settings.tally.nextRequestNumber()
        let tooLarge = self.bodyBytes > self.settings.maximumBodyBytes
        var verified: Bool?
        var refusal: String?
        if !tooLarge, let check = self.settings.signatureCheck {
            var signature = SignatureHeaders()
            for name in StandardWebhooksSignatureScheme().headerNames {
                if let value = head.headers.first(name: name) { signature.add(name: name, value: value) }
            }
            refusal = check.refusal(body: self.body, headers: signature)
            verified = refusal == nil
        }
        var random = SystemRandomNumberGenerator()
        let status: Int
        if tooLarge {
            status = 413
        } else if verified == false {
            status = 401
        } else {
            status = self.settings.policy.status(forRequest: number, using: &random)
        }
        let request = ReceivedRequest(
            receivedAt: ReceivedRequest.now(),
            method: head.method.rawValue,
            path: head.uri,
            deliveryID: head.headers.first(name: "hookgate-delivery-id"),
            attempt: head.headers.first(name: "hookgate-attempt"),
            contentType: head.headers.first(name: "content-type"),
            verified: verified,
            refusal: refusal,
            status: status,
            body: self.body,
            bodyBytes: self.bodyBytes
        )
        let keepAlive = head.isKeepAlive && !tooLarge
        let delay = self.settings.policy.delay.milliseconds
        if delay > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(delay)) {
                self.respond(request, keepAlive: keepAlive, version: head.version, context: context)
            }
        } else {
            self.respond(request, keepAlive: keepAlive, version: head.version, context: context)
        }
    }

    private func respond(
        _ request: ReceivedRequest,
        keepAlive: Bool,
        version: HTTPVersion,
        context: ChannelHandlerContext
    ) {
        let succeeded = (200..<300).contains(request.status)
        let body =
            if succeeded {
                #"{"received":true}"#
            } else if let refusal = request.refusal {
                #"{"error":"\#(Self.errorCode(request.status))","message":"\#(JSONString.escaped(refusal))"}"#
            } else {
                #"{"error":"\#(Self.errorCode(request.status))"}"#
            }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
        if !succeeded, let retryAfter = self.settings.policy.retryAfter, request.status != 401, request.status != 413 {
            headers.add(name: "retry-after", value: String(retryAfter))
        }
        let status = HTTPResponseStatus(statusCode: request.status)
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))),
            promise: nil
        )
        context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
        self.settings.tally.recordAnswer(status: request.status)
        self.settings.output.report(request)
    }

    private static func errorCode(_ status: Int) -> String {
        switch status {
        case 401: "signature_invalid"
        case 413: "payload_too_large"
        default: "simulated_failure"
        }
    }
}
