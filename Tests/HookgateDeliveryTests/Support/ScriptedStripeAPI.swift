import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A stand-in for Stripe's API on a loopback TCP port: answers each request as the test's script says (by its
/// number, counted from 0) and records what it received.
final class ScriptedStripeAPI: Sendable {
    /// One answer: a status, headers and a body; `nil` from the script means never answer.
    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        /// When set, the body is sent one byte at a time, this long apart (an answer dripped by a slow proxy).
        var drip: TimeAmount?

        init(status: Int, headers: [(String, String)] = [], body: String = "", drip: TimeAmount? = nil) {
            self.status = status
            self.headers = headers
            self.body = Array(body.utf8)
            self.drip = drip
        }
    }

    /// One request as received.
    struct Request: Sendable {
        var method: HTTPMethod = .GET
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8] = []
    }

    let port: Int
    private let channel: any Channel
    private let requests: NIOLockedValueBox<[Request]>

    /// Listens on `127.0.0.1`, an ephemeral port.
    init(reply: @escaping @Sendable (Int, Request) -> Reply?) async throws {
        let requests = NIOLockedValueBox<[Request]>([])
        self.requests = requests
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(requests: requests, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.port = self.channel.localAddress?.port ?? 0
    }

    /// `http://127.0.0.1:<port>`.
    var base: String { "http://127.0.0.1:\(self.port)" }

    /// The requests so far.
    var received: [Request] { requests.withLockedValue { $0 } }

    /// Stops listening.
    func close() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let requests: NIOLockedValueBox<[Request]>
        private let reply: @Sendable (Int, Request) -> Reply?
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(requests: NIOLockedValueBox<[Request]>, reply: @escaping @Sendable (Int, Request) -> Reply?) {
            self.requests = requests
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                self.body = []
            case .body(let part): self.body += part.readableBytesView
            case .end:
                guard let head else { return }
                let request = Request(method: head.method, uri: head.uri, headers: head.headers, body: self.body)
                let number = requests.withLockedValue { requests in
                    requests.append(request)
                    return requests.count - 1
                }
                guard let answer = reply(number, request) else { return }
                var headers = HTTPHeaders(answer.headers)
                headers.add(name: "Content-Length", value: String(answer.body.count))
                headers.add(name: "Content-Type", value: "application/json")
                let response = HTTPResponseHead(
                    version: .http1_1,
                    status: HTTPResponseStatus(statusCode: answer.status),
                    headers: headers
                )
                context.write(Self.wrapOutboundOut(.head(response)), promise: nil)
                if let drip = answer.drip {
                    context.flush()
                    Self.drip(answer.body[...], every: drip, context: context)
                    return
                }
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: answer.body)))), promise: nil)
                context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }

        /// Writes the first byte of `rest` after `interval`, then the others the same way, then the end.
        private static func drip(_ rest: ArraySlice<UInt8>, every interval: TimeAmount, context: ChannelHandlerContext)
        {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: interval) {
                let context = loopBound.value
                guard context.channel.isActive else { return }
                guard let byte = rest.first else {
                    context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
                    return
                }
                context.writeAndFlush(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: [byte])))), promise: nil)
                Self.drip(rest.dropFirst(), every: interval, context: context)
            }
        }
    }
}
