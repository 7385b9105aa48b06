import Foundation
public import HookgateCore
public import Logging
public import NIOCore
public import NIOHTTP1
public import NIOPosix
import NIOSSL
import Prometheus
public import ServiceLifecycle

/// The admin listener: `GET /healthz`, `GET /readyz` and `GET /metrics` (Prometheus text), and the routes the
/// application adds (``AdminRouter``, e.g. the delivery API), over plain HTTP/1.1 on a Unix socket (created with
/// the configured mode, a stale socket file replaced) or a loopback TCP port.
///
/// A browser-facing TCP listener (`admin.http_listen`) takes an ``AdminAccess`` gate, which every request
/// passes first, optionally TLS, and closes a connection slow to send its request. Every answer, on every listener, carries ``AdminSecurityHeaders``.
///
/// `/readyz` answers 200 only while the store is writable (the injected probe), the certificate is loaded and
/// not expired, and the ingress is bound and not draining; otherwise 503 with the reasons. Place it before the
/// ingress in the `ServiceGroup` so it stops after the ingress has drained and reports `draining` meanwhile.
public final class AdminServer: Service {
    private let address: AdminListenAddress
    private let metrics: GatewayMetrics
    private let ingress: IngressServer
    private let storeIsWritable: @Sendable () async -> Bool
    private let router: AdminRouter?
    private let access: AdminAccess?
    private let tls: TLSFiles?
    private let requestReadTimeout: TimeAmount
    private let connections: ConnectionSlots
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let binding = BindingResult()

    /// Creates the admin listener.
    /// - Parameters:
    ///   - address: Where to listen; `.disabled` makes `run()` wait for shutdown without listening.
    ///   - metrics: The metrics whose registry `/metrics` renders.
    ///   - ingress: The ingress whose certificate and draining state readiness reports.
    ///   - storeIsWritable: The store readiness probe.
    ///   - router: The application's routes, asked for any other path.
    ///   - access: The gate every request passes first (the browser-facing TCP listener); `nil` for none.
    ///   - tls: The certificate and key to serve HTTPS with (a TCP address only); `nil` for plain HTTP.
    ///   - requestReadTimeout: With `access`, how long a connection may take to send a whole request (counted
    ///     from its start or the previous answer's end) before it is closed; with or without, how long it may
    ///     take to take an answer.
    ///   - logger: For start-up and errors (label `hookgate.admin` by default).
    ///   - eventLoopGroup: The loops to serve on.
    public init(
        address: AdminListenAddress,
        metrics: GatewayMetrics,
        ingress: IngressServer,
        storeIsWritable: @escaping @Sendable () async -> Bool,
        router: AdminRouter? = nil,
        access: AdminAccess? = nil,
        tls: TLSFiles? = nil,
        requestReadTimeout: TimeAmount = AdminServer.defaultRequestReadTimeout,
        logger: Logger = Logger(label: "hookgate.admin"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.address = address
        self.metrics = metrics
        self.ingress = ingress
        self.storeIsWritable = storeIsWritable
        self.router = router
        self.access = access
        self.tls = tls
        self.requestReadTimeout = requestReadTimeout
        self.connections = ConnectionSlots(maximum: Self.maximumConnections, listener: "admin", logger: logger)
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// A second listener serving the same routes, readiness and metrics at `address`, behind `access` and
    /// optionally over TLS: the browser-facing `admin.http_listen` beside the admin socket.
    public func companion(
        address: AdminListenAddress,
        access: AdminAccess,
        tls: TLSFiles?,
        logger: Logger
    ) -> AdminServer {
        AdminServer(
            address: address,
            metrics: self.metrics,
            ingress: self.ingress,
            storeIsWritable: self.storeIsWritable,
            router: self.router,
            access: access,
            tls: tls,
            logger: logger,
            eventLoopGroup: self.eventLoopGroup
        )
    }

    /// How long a browser-facing connection may take to send a whole request, by default.
    public static let defaultRequestReadTimeout = TimeAmount.seconds(30)

    /// How many connections are served at once; one more is closed when accepted.
    public static let maximumConnections = 256

    /// The largest request body an admin route receives; a larger one is answered 413.
    public static let maximumRequestBodyBytes = 1 << 20

    /// The address the listener is bound to; waits until ``run()`` has bound it. Empty when disabled.
    public func boundAddresses() async throws -> [SocketAddress] {
        try await self.binding.wait()
    }

    /// Serves until graceful shutdown; removes its Unix socket file on the way out.
    public func run() async throws {
        let bound: BoundListener
        do {
            guard let listener = try await self.bind() else {
                self.binding.complete(.success([]))
                try? await gracefulShutdown()
                return
            }
            bound = listener
        } catch {
            self.binding.complete(.failure(error))
            throw error
        }
        let listener = bound.channel
        self.binding.complete(.success(bound.address.map { [$0] } ?? []))
        self.logger.info(
            "admin listening",
            metadata: [LogKey.serverAddress: "\(bound.address?.displayText ?? "")"]
        )
        defer {
            if let (file, inode) = bound.socketFile { file.remove(inode: inode) }
        }
        do {
            try await cancelWhenGracefulShutdown {
                try await listener.executeThenClose { inbound in
                    try await self.connections.serve(inbound) { await self.serve($0) }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown (or cancellation of the group) ends the listener.
        }
    }

    /// A bound listener, its address (for a Unix socket, the path clients use, not the private one it was bound
    /// at), and for a Unix socket the file and inode to remove on the way out.
    private struct BoundListener {
        var channel: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        var address: SocketAddress?
        var socketFile: (UnixSocketFile, ino_t)?
    }

    /// Binds the configured address; nil when disabled.
    /// - Throws: ``ListenError`` naming the address and the likely cause (a socket another process listens
    ///   on is left alone).
    private func bind() async throws -> BoundListener? {
        let bootstrap = ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.backlog, value: 64)
        let tlsContext = try self.tls.map { try TLSContextFactory.makeContext(files: $0).0 }
        let readTimeout = self.access == nil ? nil : self.requestReadTimeout
        let initializer:
            @Sendable (any Channel) -> EventLoopFuture<
                NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
            > = { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tlsContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    if let readTimeout {
                        try channel.pipeline.syncOperations.addHandler(AdminReadTimeoutHandler(timeout: readTimeout))
                    }
                    return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
                }
            }
        switch self.address {
        case .disabled:
            return nil
        case .tcp(let address):
            do {
                let channel = try await bootstrap.serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: address.host, port: address.port, childChannelInitializer: initializer)
                return BoundListener(channel: channel, address: channel.channel.localAddress)
            } catch {
                throw ListenError(address: address.description, bindError: error)
            }
        case .unixSocket(let path, let mode):
            let file = UnixSocketFile(path: path)
            let listener = try await file.bindListener(
                mode: mode,
                bootstrap: bootstrap,
                childChannelInitializer: initializer
            )
            return BoundListener(
                channel: listener.channel,
                address: listener.address,
                socketFile: (file, listener.inode)
            )
        }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var requestBody: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        requestBody = []
                        tooLarge = false
                    case .body(let buffer):
                        tooLarge = tooLarge || requestBody.count + buffer.readableBytes > Self.maximumRequestBodyBytes
                        if !tooLarge { requestBody += buffer.readableBytesView }
                    case .end:
                        guard let requestHead = head else { continue }
                        let (status, contentType, body, extraHeaders) =
                            tooLarge
                            ? (
                                .payloadTooLarge, "application/json",
                                ByteBuffer(string: ErrorResponse.payloadTooLarge.body), []
                            )
                            : await self.respond(to: requestHead, body: requestBody)
                        var headers = HTTPHeaders()
                        headers.add(name: "content-type", value: contentType)
                        headers.add(name: "content-length", value: String(body.readableBytes))
                        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
                        // A route's own field of the same name (e.g. a longer cache-control for assets) wins.
                        for (name, value) in AdminSecurityHeaders.fields where !headers.contains(name: name) {
                            headers.add(name: name, value: value)
                        }
                        if !requestHead.isKeepAlive { headers.add(name: "connection", value: "close") }
                        try await connection.channel.writing(within: self.requestReadTimeout) {
                            try await outbound.write(
                                contentsOf: [
                                    .head(
                                        HTTPResponseHead(version: requestHead.version, status: status, headers: headers)
                                    ),
                                    .body(.byteBuffer(body)), .end(nil),
                                ])
                        }
                        // `Connection: close`, or HTTP/1.0 without keep-alive: the connection ends with the answer.
                        guard requestHead.isKeepAlive else { return }
                        head = nil
                    }
                }
            }
        } catch {
            self.logger.debug("admin connection error", metadata: [LogKey.errorType: "\(type(of: error))"])
        }
    }

    /// An answer: status, content type, body and any further header fields.
    private typealias Answer = (HTTPResponseStatus, String, ByteBuffer, [(name: String, value: String)])

    private func respond(to head: HTTPRequestHead, body: [UInt8]) async -> Answer {
        let json = "application/json"
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map(String.init) ?? head.uri
        let builtIn = ["/healthz", "/readyz", "/metrics"].contains(path)
        let request = AdminRequest(
            method: head.method.rawValue,
            path: path,
            query: Self.queryParameters(parts.count > 1 ? String(parts[1]) : ""),
            headers: Self.headerFields(head.headers),
            body: body
        )
        if let access = self.access, case .answer(let answer) = access.decide(request, secure: self.tls != nil) {
            return (
                HTTPResponseStatus(statusCode: answer.status), answer.contentType, ByteBuffer(bytes: answer.body),
                answer.headers
            )
        }
        if !builtIn, let router = self.router {
            if let answer = await router(request) {
                return (
                    HTTPResponseStatus(statusCode: answer.status), answer.contentType, ByteBuffer(bytes: answer.body),
                    answer.headers
                )
            }
        }
        guard head.method == .GET || head.method == .HEAD else {
            return (.methodNotAllowed, json, ByteBuffer(string: ErrorResponse.methodNotAllowed.body), [])
        }
        switch path {
        case "/healthz":
            return (.ok, json, ByteBuffer(string: #"{"status":"alive"}"#), [])
        case "/readyz":
            let reasons = await self.readinessProblems()
            if reasons.isEmpty { return (.ok, json, ByteBuffer(string: #"{"status":"ready"}"#), []) }
            self.logger.debug("not ready", metadata: [LogKey.readiness: "\(reasons.joined(separator: ","))"])
            let list = reasons.map { "\"\($0)\"" }.joined(separator: ",")
            return (.serviceUnavailable, json, ByteBuffer(string: #"{"status":"not_ready","reasons":[\#(list)]}"#), [])
        case "/metrics":
            var buffer = ByteBuffer()
            buffer.writeBytes(self.metrics.registry.emitToBuffer())
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", buffer, [])
        default:
            return (.notFound, json, ByteBuffer(string: ErrorResponse.adminRouteNotFound.body), [])
        }
    }

    /// `a=1&b=x%20y` as a dictionary (`+` is a space, as in forms).
    public static func queryParameters(_ query: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            parameters[decode(keyValue[0])] = keyValue.count > 1 ? decode(keyValue[1]) : ""
        }
        return parameters
    }

    /// The header fields by lowercased name; a repeated name's values joined by `, `.
    public static func headerFields(_ headers: HTTPHeaders) -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            fields[key] = fields[key].map { "\($0), \(value)" } ?? value
        }
        return fields
    }

    /// The stable reasons the gateway is not ready, empty when ready.
    private func readinessProblems() async -> [String] {
        var reasons: [String] = []
        if !(await self.storeIsWritable()) { reasons.append("store_not_writable") }
        if self.ingress.certificateNotValidAfter <= Date() { reasons.append("certificate_expired") }
        if self.ingress.isDraining {
            reasons.append("draining")
        } else if !self.ingress.isAccepting {
            reasons.append("not_listening")
        }
        return reasons
    }
}
