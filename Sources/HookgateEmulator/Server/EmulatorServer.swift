public import NIOCore
import NIOHTTP1
import NIOPosix
public import NIOSSL

/// The emulator's HTTP/1.1 listener: plain HTTP, or HTTPS with a certificate; keep-alive, idle connections
/// closed, a limit on headers (NIO's, 80 KiB) and on bodies.
public struct EmulatorServer: Sendable {
    /// How long a connection may stay silent before it is closed.
    public static let idleTimeout = TimeAmount.seconds(60)

    let api: StripeAPI
    let tls: NIOSSLContext?

    /// - Parameter tls: a server context for HTTPS; `nil` for plain HTTP.
    public init(api: StripeAPI, tls: NIOSSLContext?) {
        self.api = api
        self.tls = tls
    }

    /// Binds `host:port` (port 0 for any free one) and returns the listening channel; close it to stop.
    public func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> any Channel {
        let api = self.api
        let tls = self.tls
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(allTimeout: Self.idleTimeout),
                        EmulatorHTTPHandler(api: api),
                    ])
                }
            }
            .bind(host: host, port: port)
            .get()
    }
}
