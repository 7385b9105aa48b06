import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A stand-in payment system on a Unix socket for the upstream client's tests: counts the connections it
/// accepts and answers each request as the test's script says, also by misbehaving (a long body, a close after
/// reading, no answer at all).
final class ScriptedUpstream: Sendable {
    /// What to do with one request.
    enum Reply: Sendable {
        /// Answer with a status, headers and a body of `bodyBytes` bytes.
        case answer(status: Int, headers: [(String, String)] = [], bodyBytes: Int = 0)
        /// Close the connection without answering.
        case close
        /// Never answer.
        case silence
        /// Hold the request until `count` requests are held, then answer all of them 200.
        case holdUntil(count: Int)
    }

    /// One request as received.
    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: [UInt8]
        /// Which accepted connection (counted from 0) carried it.
        var connection: Int

        /// The first value of the header `name`.
        func header(_ name: String) -> String? { head.headers.first(name: name) }
    }

    /// The connections and requests so far.
    struct Counts: Sendable {
        var accepted = 0
        var open = 0
        var mostOpen = 0
        var requests: [Request] = []
    }

    /// The counts and the connections and held answers behind them.
    private struct State {
        var counts = Counts()
        var children: [any Channel] = []
        var held: [@Sendable () -> Void] = []
    }

    /// The state, shared by the listener and its connections' handlers.
    private final class Shared: Sendable {
        private let state = NIOLockedValueBox(State())

        func withLock<T: Sendable>(_ body: (inout State) -> T) -> T {
            state.withLockedValue { body(&$0) }
        }
    }

    let socketPath: String
    private let channel: any Channel
    private let state: Shared

    /// Listens at a new path in `/tmp`; `reply` gets each request's number, counted from 0.
    init(reply: @escaping @Sendable (Int) -> Reply = { _ in .answer(status: 200) }) async throws {
        let socketPath = "/tmp/hgu-\(UUID().uuidString.prefix(8)).sock"
        let state = Shared()
        self.socketPath = socketPath
        self.state = state
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                let number = state.withLock { state in
                    state.counts.accepted += 1
                    state.counts.open += 1
                    state.counts.mostOpen = max(state.counts.mostOpen, state.counts.open)
                    state.children.append(channel)
                    return state.counts.accepted - 1
                }
                channel.closeFuture.whenComplete { _ in state.withLock { $0.counts.open -= 1 } }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        Handler(connection: number, state: state, reply: reply)
                    )
                }
            }
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true)
            .get()
    }

    /// The counts now.
    var counts: Counts { state.withLock { $0.counts } }

    /// Waits until `condition` holds for the counts (or 10 s passed) and returns them.
    @discardableResult
    func waitUntil(_ condition: (Counts) -> Bool) async -> Counts {
        let deadline = ContinuousClock.now + .seconds(10)
        var counts = self.counts
        while !condition(counts) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            counts = self.counts
        }
        return counts
    }

    /// Stops listening, closes every connection and removes the socket file.
    func close() async {
        try? await channel.close()
        for child in state.withLock({ $0.children }) { try? await child.close() }
        unlink(socketPath)
    }

    /// Records each request and carries out its reply.
    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let connection: Int
        private let state: Shared
        private let reply: @Sendable (Int) -> Reply
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(connection: Int, state: Shared, reply: @escaping @Sendable (Int) -> Reply) {
            self.connection = connection
            self.state = state
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch Self.unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(let buffer):
                body += buffer.readableBytesView
            case .end:
                guard let head else { return }
                let request = Request(head: head, body: body, connection: connection)
                let number = state.withLock { state in
                    state.counts.requests.append(request)
                    return state.counts.requests.count - 1
                }
                switch reply(number) {
                case .answer(let status, let headers, let bodyBytes):
                    answer(status: status, headers: headers, bodyBytes: bodyBytes, context: context)
                case .close:
                    context.close(promise: nil)
                case .silence:
                    break
                case .holdUntil(let count):
                    hold(until: count, context: context)
                }
            }
        }

        /// Holds the answer until `count` are held, then releases every held answer.
        private func hold(until count: Int, context: ChannelHandlerContext) {
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            let release: @Sendable () -> Void = {
                loop.execute {
                    let (handler, context) = bound.value
                    handler.answer(status: 200, headers: [], bodyBytes: 0, context: context)
                }
            }
            let released = state.withLock { state -> [@Sendable () -> Void] in
                state.held.append(release)
                guard state.held.count >= count else { return [] }
                defer { state.held = [] }
                return state.held
            }
            for held in released { held() }
        }

        private func answer(status: Int, headers: [(String, String)], bodyBytes: Int, context: ChannelHandlerContext) {
            var responseHeaders = HTTPHeaders(headers)
            responseHeaders.add(name: "Content-Length", value: String(bodyBytes))
            let head = HTTPResponseHead(
                version: .http1_1,
                status: HTTPResponseStatus(statusCode: status),
                headers: responseHeaders
            )
            context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
            if bodyBytes > 0 {
                let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: bodyBytes)
                context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            }
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
            if !head.isKeepAlive { context.close(promise: nil) }
        }
    }
}
