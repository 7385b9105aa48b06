public import Foundation
public import HookgateCore
public import HookgateStore
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOExtras
public import NIOPosix
import NIOSSL
public import ServiceLifecycle

/// The HTTPS front door: a `Service` that binds every `listen` address of ``GatewaySettings`` and serves the
/// webhook endpoints over TLS 1.2/1.3 and HTTP/1.1 with keep-alive.
///
/// Each connection runs TCP → ``PlainHTTPResponder`` (plain HTTP gets a clear-text 400) → `NIOSSLServerHandler` →
/// ``TLSHandshakeFailureHandler`` (logs why a handshake failed) → NIO's HTTP/1.1 server pipeline (codec,
/// pipelining, quiescing) → gzip decompressor → ``IngressConnectionHandler``, which enforces the limits and
/// timeouts and checks and verifies each request on the event loop → an async loop that appends the verified
/// deliveries to the store, one at a time.
///
/// On graceful shutdown the server stops accepting and quiesces its connections with swift-nio-extras'
/// `ServerQuiescingHelper`: requests in flight finish (their connections are closed after the answer, idle
/// ones at once); then it closes whatever is still open after
/// ``GatewayLimits/shutdownGracePeriod``, and `run()` returns. Run the store in the same `ServiceGroup` at a
/// lower index so it shuts down after the ingress.
public final class IngressServer: Service {
    let pipeline: WebhookPipeline
    private let metrics: GatewayMetrics
    let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let binding = BindingResult()
    private let handshakeFailures: HandshakeFailureLog
    let state: NIOLockedValueBox<State>

    struct State {
        var snapshot: IngressSnapshot
        /// One per listener: closes it and quiesces the connections it accepted.
        var quiescers: [ServerQuiescingHelper] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
        var isDraining = false
        var drainTimer: Task<Void, Never>?
    }

    /// An accepted child channel: served, or refused (over the connection limit, draining, or from an address
    /// no endpoint allows) and to be closed.
    private enum AcceptedConnection: Sendable {
        case served(NIOAsyncChannel<WebhookRequest, WebhookResponse>, peer: WebhookPipeline.Peer)
        case refused(any Channel, reason: String)
    }

    /// Creates the server; loads the certificate and key at once.
    /// - Parameters:
    ///   - settings: Listen addresses, TLS files, endpoints and limits.
    ///   - store: Where verified deliveries are appended.
    ///   - metrics: The ingress metrics (shared with ``AdminServer``).
    ///   - logger: Logs one `info` line per request, rejected ones within `limits.rejected_log_lines_per_second`
    ///     (label `hookgate.ingress` by default).
    ///   - eventLoopGroup: The loops to serve on; NIO's shared group (one loop per core) by default.
    /// - Throws: when the TLS files cannot be loaded or the endpoints are inconsistent.
    public init(
        settings: GatewaySettings,
        store: any DeliveryStore,
        metrics: GatewayMetrics,
        logger: Logger = Logger(label: "hookgate.ingress"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        self.state = NIOLockedValueBox(State(snapshot: try IngressSnapshot(settings: settings)))
        self.pipeline = WebhookPipeline(
            store: store,
            metrics: metrics,
            logger: logger,
            rejectedLog: RejectedRequestLog(linesPerSecond: settings.limits.rejectedRequestLogLinesPerSecond)
        )
        self.metrics = metrics
        self.logger = logger
        self.handshakeFailures = HandshakeFailureLog(logger: logger)
        self.eventLoopGroup = eventLoopGroup
    }

    /// The addresses the listeners are bound to (with the ports the system chose for port 0); waits until
    /// ``run()`` has bound them.
    /// - Throws: the error that made binding fail.
    public func boundAddresses() async throws -> [SocketAddress] {
        try await self.binding.wait()
    }

    /// Whether the listeners are bound and the server is not draining.
    public var isAccepting: Bool {
        self.binding.isBound && !self.isDraining
    }

    /// Whether a graceful shutdown has begun (readiness reports 503 then).
    public var isDraining: Bool {
        self.state.withLockedValue { $0.isDraining }
    }

    /// When the certificate new connections get expires.
    public var certificateNotValidAfter: Date {
        self.state.withLockedValue { $0.snapshot.certificateNotValidAfter }
    }

    /// Binds, serves until graceful shutdown (or cancellation), drains, and returns.
    public func run() async throws {
        let snapshot = self.state.withLockedValue { $0.snapshot }
        var listeners: [NIOAsyncChannel<AcceptedConnection, Never>] = []
        var quiescers: [ServerQuiescingHelper] = []
        do {
            for address in snapshot.settings.listen {
                let quiescer = ServerQuiescingHelper(group: self.eventLoopGroup)
                listeners.append(try await self.bind(address, quiescer: quiescer))
                quiescers.append(quiescer)
            }
        } catch {
            for listener in listeners { try? await listener.channel.close() }
            self.binding.complete(.failure(error))
            throw error
        }
        let addresses = listeners.compactMap { $0.channel.localAddress }
        self.state.withLockedValue { $0.quiescers = quiescers }
        self.binding.complete(.success(addresses))
        for address in addresses {
            self.logger.info("listening", metadata: [LogKey.serverAddress: "\(address.displayText)"])
        }

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for listener in listeners {
                    group.addTask { await self.accept(on: listener) }
                }
            }
        } onGracefulShutdown: {
            self.beginDraining()
        }
        self.state.withLockedValue { $0.drainTimer }?.cancel()
        self.logger.info("ingress stopped")
    }

    /// Why a connection is closed at accept.
    private enum RefusalReason: String, Error {
        /// `limits.max_connections` connections are open.
        case connectionLimit = "connection_limit"
        /// The server is shutting down.
        case draining
        /// No endpoint's `allowed_sources` contains the peer's address.
        case sourceNotAllowed = "source_not_allowed"
    }

    /// Binds one listener whose accepted connections `quiescer` collects.
    /// - Throws: ``ListenError`` naming the address and the likely cause.
    private func bind(
        _ address: ListenAddress,
        quiescer: ServerQuiescingHelper
    ) async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        do {
            return try await ServerBootstrap(group: self.eventLoopGroup)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            quiescer.makeServerChannelHandler(channel: channel)
                        )
                    }
                }
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .bind(host: address.host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try self.setUpConnection(channel) }
                }
        } catch {
            throw ListenError(address: address.description, bindError: error)
        }
    }

    /// Admits the connection if under the limit and from an address some endpoint allows, and builds its
    /// pipeline, on its event loop.
    private func setUpConnection(_ channel: any Channel) throws -> AcceptedConnection {
        let id = ObjectIdentifier(channel)
        let peer = WebhookPipeline.Peer(channel.remoteAddress)
        let admission: Result<IngressSnapshot, RefusalReason> = self.state.withLockedValue { state in
            guard !state.isDraining else { return .failure(.draining) }
            guard state.connections.count < state.snapshot.settings.limits.maximumConnections else {
                return .failure(.connectionLimit)
            }
            guard state.snapshot.admits(peer: peer.addressBytes) else { return .failure(.sourceNotAllowed) }
            state.connections[id] = channel
            return .success(state.snapshot)
        }
        let snapshot: IngressSnapshot
        switch admission {
        case .success(let admitted): snapshot = admitted
        case .failure(let reason): return .refused(channel, reason: reason.rawValue)
        }
        self.metrics.openConnectionsChanged(by: 1)
        channel.closeFuture.whenComplete { _ in
            self.state.withLockedValue { _ = $0.connections.removeValue(forKey: id) }
            self.metrics.openConnectionsChanged(by: -1)
        }

        let metrics = self.metrics
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(
            PlainHTTPResponder(log: self.handshakeFailures, peer: peer, onPlainHTTP: { metrics.tlsHandshakeFailed() })
        )
        try pipeline.addHandler(NIOSSLServerHandler(context: snapshot.sslContext))
        try pipeline.addHandler(
            TLSHandshakeFailureHandler(
                log: self.handshakeFailures,
                peer: peer,
                onFailure: { metrics.tlsHandshakeFailed() }
            )
        )
        try pipeline.addWebhookHTTPHandlers(settings: snapshot.settings, pipeline: self.pipeline, peer: peer)
        let asyncChannel = try NIOAsyncChannel<WebhookRequest, WebhookResponse>(
            wrappingChannelSynchronously: channel
        )
        return .served(asyncChannel, peer: peer)
    }

    /// Accepts connections until the listener closes; returns when every connection is done.
    private func accept(on listener: NIOAsyncChannel<AcceptedConnection, Never>) async {
        do {
            try await listener.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        switch connection {
                        case .served(let channel, let peer):
                            group.addTask { await self.serve(channel, peer: peer) }
                        case .refused(let channel, let reason):
                            self.metrics.connectionRefused(reason: reason)
                            self.logger.debug(
                                "closing a new connection at accept",
                                metadata: [LogKey.outcome: "\(reason)"]
                            )
                            channel.close(promise: nil)
                        }
                    }
                }
            }
        } catch {
            self.logger.debug("listener closed", metadata: [LogKey.errorType: "\(type(of: error))"])
        }
    }

    /// Appends the verified requests of one connection in order and answers them (every other answer is
    /// written by ``IngressConnectionHandler`` on the event loop). Never throws: one connection's error ends only it.
    private func serve(_ channel: NIOAsyncChannel<WebhookRequest, WebhookResponse>, peer: WebhookPipeline.Peer) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                for try await request in inbound {
                    let outcome = await self.pipeline.store(request.delivery)
                    let response = self.pipeline.finish(
                        outcome,
                        endpoint: request.delivery.endpoint,
                        startedAt: request.startedAt,
                        peer: peer
                    )
                    try await outbound.write(response)
                }
            }
        } catch {
            self.logger.debug(
                "connection ended with an error",
                metadata: [LogKey.peer: "\(peer.description)", LogKey.errorType: "\(type(of: error))"]
            )
        }
    }

    /// Stops accepting, asks open connections to finish their current request, and force-closes what is
    /// left after the grace period.
    private func beginDraining() {
        let (quiescers, open, grace) = self.state.withLockedValue { state in
            state.isDraining = true
            return (state.quiescers, state.connections.count, state.snapshot.settings.limits.shutdownGracePeriod)
        }
        self.logger.info("draining", metadata: ["hookgate.connections": "\(open)"])
        for quiescer in quiescers { quiescer.initiateShutdown(promise: nil) }
        let timer = Task {
            try? await Task.sleep(for: grace)
            guard !Task.isCancelled else { return }
            let remaining = self.state.withLockedValue { Array($0.connections.values) }
            if !remaining.isEmpty {
                self.logger.warning(
                    "grace period over; closing connections",
                    metadata: ["hookgate.connections": "\(remaining.count)"]
                )
            }
            for connection in remaining { connection.close(promise: nil) }
        }
        self.state.withLockedValue { $0.drainTimer = timer }
    }
}
