// NIO's own static 200 over TLS: the floor of any NIO-based HTTPS front door on this machine, measured beside
// `hookgate serve` by cpu-per-event.sh. The same pieces the gateway's ingress uses (NIOPosix on one event loop
// per core, NIOSSL, NIOHTTP1's server pipeline) and nothing else: every request, whatever its method, path or
// body, is answered `200` with an empty body on a kept-alive connection.
//
//   NIOStatic200 HOST PORT CERT.pem KEY.pem
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Answers every request 200 with an empty body once its end has arrived; the body is read and dropped.
final class Static200Handler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var keepAlive = true

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: "0")
            if !self.keepAlive { headers.add(name: "connection", value: "close") }
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
            context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
            let keepAlive = self.keepAlive
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}

@available(*, unavailable)
extension Static200Handler: Sendable {}

let arguments = CommandLine.arguments
guard arguments.count == 5, let port = Int(arguments[2]) else {
    fatalError("usage: NIOStatic200 HOST PORT CERT.pem KEY.pem")
}
var tls = TLSConfiguration.makeServerConfiguration(
    certificateChain: try NIOSSLCertificate.fromPEMFile(arguments[3]).map { .certificate($0) },
    privateKey: .privateKey(try NIOSSLPrivateKey(file: arguments[4], format: .pem))
)
tls.minimumTLSVersion = .tlsv12
let sslContext = try NIOSSLContext(configuration: tls)

let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(Static200Handler())
        }
    }
    .bind(host: arguments[1], port: port)
    .get()
print("listening on \(channel.localAddress!)")
try await channel.closeFuture.get()
