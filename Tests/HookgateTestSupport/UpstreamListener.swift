public import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on a Unix socket standing in for the payment system: records every request and
/// answers as the test's script says.
public final class UpstreamListener: Sendable {
    /// One request as received.
    public struct Request: Sendable {
        public var path: String
        public var headers: [(String, String)]
        public var body: Data
        public var receivedAt: Date

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// An answer: status and extra headers.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(String, String)] = []

        public init(status: Int, headers: [(String, String)] = []) {
            self.status = status
            self.headers = headers
        }
    }

    /// The requests so far, shared with the connection handlers.
    final class Log: Sendable {
        private let requests = NIOLockedValueBox<[Request]>([])

        /// Appends a request and returns how many came before it.
        func append(_ request: Request) -> Int {
            requests.withLockedValue {
                $0.append(request)
                return $0.count - 1
            }
        }

        var all: [Request] { requests.withLockedValue { $0 } }
    }

    public let socketPath: String
    private let channel: any Channel
    private let log = Log()

    /// Listens at `socketPath`; `answer` gets each request and the number of requests before it.
    public init(
        socketPath: String,
        answer: @escaping @Sendable (Request, Int) -> Answer = { _, _ in Answer(status: 200) }
    ) async throws {
        self.socketPath = socketPath
        let log = self.log
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(log: log, answer: answer))
                }
            }
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true)
            .get()
    }

    /// Every request so far, in arrival order.
    public var received: [Request] { log.all }

    /// Waits until `count` requests arrived (or `timeout` passed) and returns them.
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(20)) async -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while received.count < count && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return received
    }

    public func close() async {
        try? await channel.close()
        unlink(socketPath)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let log: Log
        private let answer: @Sendable (Request, Int) -> Answer
        private var head: HTTPRequestHead?
        private var body = Data()

        init(log: Log, answer: @escaping @Sendable (Request, Int) -> Answer) {
            self.log = log
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = Data()
            case .body(var buffer):
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
                guard let head else { return }
                let request = Request(
                    path: head.uri,
                    headers: head.headers.map { ($0.name, $0.value) },
                    body: body,
                    receivedAt: Date()
                )
                let reply = answer(request, log.append(request))
                var headers = HTTPHeaders(reply.headers)
                headers.add(name: "Content-Length", value: "0")
                let responseHead = HTTPResponseHead(
                    version: head.version,
                    status: HTTPResponseStatus(statusCode: reply.status),
                    headers: headers
                )
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
