// The floor of one forward to the payment system on this machine: an HTTP/1.1 POST over a kept-alive Unix
// socket connection to a NIO server that answers every request 200 with a small JSON body, and nothing else.
// The client is NIO's HTTP/1.1 client pipeline (the gateway's own encodes each request into one buffer instead, and
// decodes answers itself); the server is NIO's HTTP/1.1 server pipeline. Each side runs
// on an event loop (one thread) of its own, and its CPU is that thread's CPU time (CLOCK_THREAD_CPUTIME_ID),
// so the printout splits the floor into the forwarding side and the consumer side. cpu-per-event.sh measures
// the gateway's forward stage and `hookgate sink` against these.
//
//   UnixSocketExchangeFloor [--requests 200000] [--connections 16] [--body 1000]
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Answers every request 200 with `{"received":true}` once its end has arrived; the body is read and dropped.
final class StaticAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let body = #"{"received":true}"#

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = Self.unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(Self.body.utf8.count))
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
            promise: nil
        )
        context.write(
            Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: Self.body)))),
            promise: nil
        )
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// Sends `remaining` requests one after the other on its connection, each once the previous answer is in.
final class SequentialClientHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: (head: HTTPRequestHead, body: ByteBuffer)
    private var remaining: Int
    private let done: EventLoopPromise<Int>
    private var answered = 0

    init(request: (head: HTTPRequestHead, body: ByteBuffer), count: Int, done: EventLoopPromise<Int>) {
        self.request = request
        self.remaining = count
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendNext(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            precondition(head.status == .ok, "the responder answered \(head.status)")
        case .body:
            break
        case .end:
            self.answered += 1
            self.sendNext(context: context)
        }
    }

    private func sendNext(context: ChannelHandlerContext) {
        guard self.remaining > 0 else {
            self.done.succeed(self.answered)
            return
        }
        self.remaining -= 1
        context.write(Self.wrapOutboundOut(.head(self.request.head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(self.request.body))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
    }
}

@available(*, unavailable)
extension StaticAnswerHandler: Sendable {}
@available(*, unavailable)
extension SequentialClientHandler: Sendable {}

/// The calling thread's CPU time, in microseconds.
func threadCPUMicroseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
}

func option(_ name: String, default value: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let parsed = Int(arguments[index + 1])
    else { return value }
    return parsed
}

let requests = option("--requests", default: 200_000)
let connections = option("--connections", default: 16)
let bodySize = option("--body", default: 1_000)
let socketPath = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-floor-\(getpid()).sock").path
defer { unlink(socketPath) }

let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let server = try await ServerBootstrap(group: serverGroup)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
            try channel.pipeline.syncOperations.addHandler(StaticAnswerHandler())
        }
    }
    .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true)
    .get()

let request: (head: HTTPRequestHead, body: ByteBuffer) = {
    var headers = HTTPHeaders()
    headers.add(name: "host", value: "localhost")
    headers.add(name: "user-agent", value: "hookgate")
    headers.add(name: "content-type", value: "application/cloudevents+json")
    headers.add(name: "hookgate-delivery-id", value: "123456")
    headers.add(name: "hookgate-attempt", value: "1")
    headers.add(name: "hookgate-endpoint", value: "stripe")
    headers.add(name: "hookgate-received-at", value: "1764900000000")
    headers.add(name: "content-length", value: String(bodySize))
    let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: bodySize)
    return (HTTPRequestHead(version: .http1_1, method: .POST, uri: "/events", headers: headers), body)
}()

let serverLoop = serverGroup.next()
let clientLoop = clientGroup.next()
let serverBefore = try await serverLoop.submit { threadCPUMicroseconds() }.get()
let clientBefore = try await clientLoop.submit { threadCPUMicroseconds() }.get()
let started = ContinuousClock.now
var finished: [EventLoopFuture<Int>] = []
for index in 0..<connections {
    let share = requests / connections + (index < requests % connections ? 1 : 0)
    let done = clientLoop.makePromise(of: Int.self)
    finished.append(done.futureResult)
    _ = try await ClientBootstrap(group: clientLoop)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(
                    SequentialClientHandler(request: request, count: share, done: done)
                )
            }
        }
        .connect(unixDomainSocketPath: socketPath)
        .get()
}
var answered = 0
for future in finished { answered += try await future.get() }
let elapsed = ContinuousClock.now - started
let serverCPU = try await serverLoop.submit { threadCPUMicroseconds() }.get() - serverBefore
let clientCPU = try await clientLoop.submit { threadCPUMicroseconds() }.get() - clientBefore
try await server.close().get()
try await serverGroup.shutdownGracefully()
try await clientGroup.shutdownGracefully()

let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(
    String(
        format: "RESULT requests=%d connections=%d body=%d rps=%.0f client_us=%.1f server_us=%.1f total_us=%.1f",
        answered,
        connections,
        bodySize,
        Double(answered) / seconds,
        clientCPU / Double(answered),
        serverCPU / Double(answered),
        (clientCPU + serverCPU) / Double(answered)
    )
)
