import HookgateCore
import NIOCore
import NIOHTTP1

/// First in an ingress connection's pipeline, in front of TLS: looks at the first byte the client sends.
///
/// A TLS record (or anything that is not plain HTTP) goes on to TLS, and the handler leaves the pipeline. A
/// plain-HTTP request (`curl http://host:8443/...`) is answered as nginx does, in clear text:
/// `400 {"error":"plain_http_on_tls_port","message":"this port speaks HTTPS: use https://..."}`; then the
/// connection is half-closed and closed once the client has gone (or after ``lingerTime``), so the client
/// reads the answer instead of a reset.
final class PlainHTTPResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The stable error code of the answer.
    static let code = "plain_http_on_tls_port"
    /// How much of the request head is read before answering anyway.
    static let maximumHeadBytes = 8192
    /// How long the connection stays open after the answer for the client to read it.
    static let lingerTime = TimeAmount.seconds(2)

    private enum State {
        /// Nothing received yet.
        case deciding
        /// A plain-HTTP request head is arriving.
        case collecting(ByteBuffer)
        /// The answer is written; what else arrives is dropped.
        case answered
    }

    private let log: HandshakeFailureLog
    private let peer: WebhookPipeline.Peer
    private let onPlainHTTP: @Sendable () -> Void
    private var state = State.deciding
    private var lingerTimer: Scheduled<Void>?

    /// - Parameters:
    ///   - log: Where the refusal is logged (once per client address per minute).
    ///   - peer: The client.
    ///   - onPlainHTTP: Called once when a plain-HTTP request is refused (the metrics).
    init(log: HandshakeFailureLog, peer: WebhookPipeline.Peer, onPlainHTTP: @escaping @Sendable () -> Void) {
        self.log = log
        self.peer = peer
        self.onPlainHTTP = onPlainHTTP
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        switch self.state {
        case .deciding:
            guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }
            // A TLS record starts with its content type (22 for a handshake); an HTTP request with its method,
            // an upper-case token.
            guard first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") else {
                context.fireChannelRead(data)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                return
            }
            self.onPlainHTTP()
            self.collect(bytes, context: context)
        case .collecting(var head):
            head.writeBuffer(&bytes)
            self.collect(head, context: context)
        case .answered:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.lingerTimer?.cancel()
        context.fireChannelInactive()
    }

    /// Waits for the end of the request head (or the size limit), then answers.
    private func collect(_ head: ByteBuffer, context: ChannelHandlerContext) {
        let view = head.readableBytesView
        let complete = view.count >= Self.maximumHeadBytes || view.firstRange(of: [13, 10, 13, 10]) != nil
        guard complete else {
            self.state = .collecting(head)
            return
        }
        self.state = .answered
        self.log.record(.plainHTTP, peer: self.peer)
        let body = ErrorResponse(code: Self.code, status: .badRequest, message: Self.message(forHead: view)).body
        let response = """
            HTTP/1.1 400 Bad Request\r
            content-type: application/json\r
            content-length: \(body.utf8.count)\r
            connection: close\r
            \r
            \(body)
            """
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(string: response)))
            .whenComplete { _ in
                loopBound.value.close(mode: .output).whenFailure { _ in loopBound.value.close(promise: nil) }
            }
        self.lingerTimer = context.eventLoop.scheduleTask(in: Self.lingerTime) {
            loopBound.value.close(promise: nil)
        }
    }

    /// "this port speaks HTTPS: use https://<host><path>", with the request's own Host and path when they are
    /// plain enough to repeat, else a general hint.
    static func message(forHead bytes: ByteBufferView) -> String {
        let text = String(decoding: bytes.prefix(Self.maximumHeadBytes), as: UTF8.self)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.first?.split(separator: " ") ?? []
        let host = lines.dropFirst().first { $0.lowercased().hasPrefix("host:") }
            .map { $0.dropFirst("host:".count).trimmingSpaces }
        let path = requestLine.count == 3 ? requestLine[1].prefix { $0 != "?" && $0 != "#" } : nil
        guard let host, let path, Self.isPlain(host, allowing: ".-:[]"), Self.isPlain(path, allowing: "/._-~%"),
            path.hasPrefix("/"), host.count + path.count <= 512
        else {
            return "this port speaks HTTPS: use https:// URLs"
        }
        return "this port speaks HTTPS: use https://\(host)\(path)"
    }

    /// Whether `text` is non-empty and only letters, digits and the characters of `allowed` (ASCII).
    private static func isPlain(_ text: Substring, allowing allowed: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    || allowed.utf8.contains(byte)
            }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}

@available(*, unavailable)
extension PlainHTTPResponder: Sendable {}
