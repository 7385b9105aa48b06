// NIO's own static 200 over TLS: the floor of any NIO-based HTTPS front door on this machine, measured beside
// `hookgate serve` by cpu-per-event.sh. The same pieces the gateway's ingress uses (NIOPosix on one event loop
// per core, NIOSSL, NIOHTTP1's server pipeline) and nothing else: every request, whatever its method, path or
// body, is answered `200` with an empty body on a kept-alive connection.
//
// With a secret, it also checks each request's Stripe signature with Hookgate's own verifier
// (`StripeSignatureScheme`, on the body as received) and answers `401` with an empty body when it fails: the floor
// of the gateway's forged-signature path built from the same pieces, with none of the gateway's own request
// handling (limits, routing, envelope, metrics, log line, JSON error body).
//
//   NIOStatic200 HOST PORT CERT.pem KEY.pem [STRIPE_SECRET]
import Foundation
import HookgateCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Answers every request 200 with an empty body once its end has arrived; the body is read and dropped, unless
/// a keyring is given: then the body is kept and the request answered 401 when its signature does not verify.
final class Static200Handler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let keyring: Keyring?
    private var keepAlive = true
    private var signature: String?
    private var body = ByteBuffer()

    init(keyring: Keyring?) {
        self.keyring = keyring
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.keepAlive = head.isKeepAlive
            if self.keyring != nil {
                self.signature = head.headers.first(name: "stripe-signature")
                self.body.clear()
            }
        case .body(var chunk):
            if self.keyring != nil { self.body.writeBuffer(&chunk) }
        case .end:
            var headers = HTTPHeaders()
            headers.add(name: "content-length", value: "0")
            if !self.keepAlive { headers.add(name: "connection", value: "close") }
            let head = HTTPResponseHead(
                version: .http1_1,
                status: self.verified() ? .ok : .unauthorized,
                headers: headers
            )
            context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
            let keepAlive = self.keepAlive
            context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    /// Whether the request's signature verifies (always, without a keyring).
    private func verified() -> Bool {
        guard let keyring = self.keyring else { return true }
        var headers = SignatureHeaders()
        if let signature = self.signature { headers.add(name: "stripe-signature", value: signature) }
        let now = Int64(Date().timeIntervalSince1970)
        return self.body.withUnsafeReadableBytes { bytes in
            (try? StripeSignatureScheme().verify(
                body: bytes,
                headers: headers,
                keyring: keyring,
                tolerance: .standard,
                now: now
            )) != nil
        }
    }
}

@available(*, unavailable)
extension Static200Handler: Sendable {}

let arguments = CommandLine.arguments
guard arguments.count == 5 || arguments.count == 6, let port = Int(arguments[2]) else {
    fatalError("usage: NIOStatic200 HOST PORT CERT.pem KEY.pem [STRIPE_SECRET]")
}
let keyring = try arguments.dropFirst(5).first.map {
    try Keyring(scheme: StripeSignatureScheme(), secrets: [LabelledSecret(label: "only", secret: Secret($0))])
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
            try channel.pipeline.syncOperations.addHandler(Static200Handler(keyring: keyring))
        }
    }
    .bind(host: arguments[1], port: port)
    .get()
print("listening on \(channel.localAddress!)")
try await channel.closeFuture.get()
