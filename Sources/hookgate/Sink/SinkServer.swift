import NIOCore
import NIOHTTP1
import NIOPosix

/// The sink's HTTP/1.1 server on a Unix socket: keep-alive, a body limit, idle connections closed.
struct SinkServer {
    /// How long a connection may stay silent before the sink closes it.
    static let idleTimeout = TimeAmount.seconds(75)

    let settings: SinkHTTPHandler.Settings

    /// Binds `path` and returns the listening channel (close it to stop).
    func bind(path: String, group: any EventLoopGroup) async throws -> any Channel {
        let settings = self.settings
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(allTimeout: Self.idleTimeout),
                        SinkHTTPHandler(settings: settings),
                    ])
                }
            }
            .bind(unixDomainSocketPath: path)
            .get()
    }
}
