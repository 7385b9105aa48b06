import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A webhook endpoint on 127.0.0.1 for the dispatcher tests: records each POST and answers `500` to the first
/// `failFirst` of them, `200` after; or, to the first `stallFirst`, a head announcing a body that never comes.
final class WebhookReceiver: Sendable {
    /// One received request.
    struct Received: Sendable {
        let signature: String?
        let userAgent: String?
        let body: [UInt8]
    }

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let state: NIOLockedValueBox<State>
    private let channel: any Channel

    private struct State {
        var received: [Received] = []
        var failFirst: Int
        var stallFirst: Int
    }

    /// Starts listening on a free port.
    init(failFirst: Int = 0, stallFirst: Int = 0) throws {
        let state = NIOLockedValueBox(State(failFirst: failFirst, stallFirst: stallFirst))
        self.state = state
        self.channel = try ServerBootstrap(group: self.group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .wait()
    }

    /// `http://127.0.0.1:<port>/webhooks`.
    var url: String { "http://127.0.0.1:\(self.channel.localAddress!.port!)/webhooks" }

    var received: [Received] { self.state.withLockedValue { $0.received } }

    /// Waits (up to `timeout` seconds) until `count` requests came, and returns them.
    func waitFor(_ count: Int, timeout: TimeInterval = 10) async throws -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        while self.received.count < count, Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return self.received
    }

    func stop() async throws {
        try await self.channel.close()
        try await self.group.shutdownGracefully()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let state: NIOLockedValueBox<State>
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(state: NIOLockedValueBox<State>) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch self.unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                self.body = []
            case .body(let buffer):
                self.body += buffer.readableBytesView
            case .end:
                guard let head else { return }
                let (failing, stalling) = self.state.withLockedValue { state in
                    state.received.append(
                        Received(
                            signature: head.headers.first(name: "stripe-signature"),
                            userAgent: head.headers.first(name: "user-agent"),
                            body: self.body
                        )
                    )
                    state.failFirst -= 1
                    state.stallFirst -= 1
                    return (state.failFirst >= 0, state.stallFirst >= 0)
                }
                if stalling {
                    let headers = HTTPHeaders([("content-length", "10")])
                    let response = HTTPResponseHead(version: head.version, status: .ok, headers: headers)
                    context.writeAndFlush(self.wrapOutboundOut(.head(response)), promise: nil)
                    return
                }
                let headers = HTTPHeaders([("content-length", "0")])
                let status: HTTPResponseStatus = failing ? .internalServerError : .ok
                context.write(
                    self.wrapOutboundOut(
                        .head(HTTPResponseHead(version: head.version, status: status, headers: headers))
                    ),
                    promise: nil
                )
                context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
