public import Foundation
import HookgateCore
public import HookgateStore
public import Logging
public import NIOCore
import NIOHTTP1
public import NIOPosix
public import ServiceLifecycle

/// The commands socket: the payment system posts commands to Stripe's API (`payment-requested`,
/// `refund-requested`) as CloudEvents to `POST /commands`, and asks where one stands with
/// `GET /commands/{id}`, over HTTP/1.1 on a Unix socket (created with the configured mode, a stale socket file
/// replaced), answered by ``CommandsEndpoint``.
///
/// A request's head is at most ``maximumHeaderBytes``, its body at most 64 KiB; a connection that takes longer
/// than its read timeout to send a whole request, or than its write timeout to take an answer, is closed, and
/// at most ``defaultMaximumConnections`` are served at once (one more is closed when accepted). Logs name a command's id, type and outcome,
/// never its body. Place it after the store in the `ServiceGroup`, so that it stops accepting before the
/// store closes.
public final class CommandsServer: Service {
    /// The most bytes of a request line and header fields accepted.
    public static let maximumHeaderBytes = 16 << 10
    /// How long a connection may take to send a whole request, by default.
    public static let defaultRequestReadTimeout = TimeAmount.seconds(10)
    /// How long a connection may take to take an answer, by default.
    public static let defaultAnswerWriteTimeout = TimeAmount.seconds(10)
    /// How many connections are served at once, by default.
    public static let defaultMaximumConnections = 256

    private let socketPath: String
    private let socketMode: UInt16
    private let endpoint: CommandsEndpoint
    private let metrics: GatewayMetrics?
    private let requestReadTimeout: TimeAmount
    private let answerWriteTimeout: TimeAmount
    private let connections: ConnectionSlots
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let binding = BindingResult()

    /// Creates the commands listener.
    /// - Parameters:
    ///   - socketPath: The Unix socket's path.
    ///   - socketMode: The socket file's mode (0600: only this user may connect).
    ///   - store: Where accepted commands are appended.
    ///   - clock: Stamps each command's receipt.
    ///   - metrics: Counts answers by command type and outcome; `nil` for none.
    ///   - requestReadTimeout: How long a connection may take to send a whole request (counted from its start
    ///     or the previous answer's end) before it is closed.
    ///   - answerWriteTimeout: How long a connection may take to take an answer before it is closed.
    ///   - maximumConnections: How many connections are served at once.
    ///   - logger: One line per answer (label `hookgate.commands` by default).
    ///   - eventLoopGroup: The loops to serve on.
    public init(
        socketPath: String,
        socketMode: UInt16 = 0o600,
        store: any CommandStore,
        clock: @escaping @Sendable () -> Date = { Date() },
        metrics: GatewayMetrics? = nil,
        requestReadTimeout: TimeAmount = CommandsServer.defaultRequestReadTimeout,
        answerWriteTimeout: TimeAmount = CommandsServer.defaultAnswerWriteTimeout,
        maximumConnections: Int = CommandsServer.defaultMaximumConnections,
        logger: Logger = Logger(label: "hookgate.commands"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.endpoint = CommandsEndpoint(store: store, clock: clock)
        self.metrics = metrics
        self.requestReadTimeout = requestReadTimeout
        self.answerWriteTimeout = answerWriteTimeout
        self.connections = ConnectionSlots(maximum: maximumConnections, listener: "commands", logger: logger)
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// The socket's address; waits until ``run()`` has bound it.
    public func boundAddresses() async throws -> [SocketAddress] {
        try await self.binding.wait()
    }

    /// Serves until graceful shutdown; removes its socket file on the way out.
    public func run() async throws {
        let file = UnixSocketFile(path: self.socketPath)
        let listener: UnixSocketFile.Listener<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>>
        do {
            listener = try await file.bindListener(
                mode: self.socketMode,
                bootstrap: ServerBootstrap(group: self.eventLoopGroup).serverChannelOption(.backlog, value: 64),
                childChannelInitializer: self.initializeConnection
            )
        } catch {
            self.binding.complete(.failure(error))
            throw error
        }
        self.binding.complete(.success([listener.address]))
        self.logger.info("commands socket open", metadata: [LogKey.serverAddress: "\(self.socketPath)"])
        defer { file.remove(inode: listener.inode) }
        do {
            try await cancelWhenGracefulShutdown {
                try await listener.channel.executeThenClose { inbound in
                    try await self.connections.serve(inbound) { await self.serve($0) }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown (or cancellation of the group) ends the listener.
        }
    }

    /// NIO's HTTP/1.1 server pipeline with the header limit, and the read timeout.
    private var initializeConnection:
        @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>>
    {
        let readTimeout = self.requestReadTimeout
        return { channel in
            channel.eventLoop.makeCompletedFuture {
                var limits = NIOHTTPDecoderLimitConfiguration()
                limits.maxHeaderListSize = Self.maximumHeaderBytes
                limits.maxHeaderFieldSize = Self.maximumHeaderBytes
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                    withPipeliningAssistance: true,
                    withServerUpgrade: nil,
                    withErrorHandling: true,
                    withOutboundHeaderValidation: false,
                    withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
                    withDecoderLimitConfiguration: limits
                )
                try channel.pipeline.syncOperations.addHandler(AdminReadTimeoutHandler(timeout: readTimeout))
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
        }
    }

    /// Answers the requests of one connection in turn; a refused head or an oversized body ends it.
    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        if let refusal = CommandsEndpoint.check(requestHead) {
                            try await self.write(
                                refusal,
                                to: connection,
                                outbound,
                                version: requestHead.version,
                                close: true
                            )
                            return
                        }
                        (head, body, tooLarge) = (requestHead, [], false)
                    case .body(let buffer):
                        tooLarge = tooLarge || body.count + buffer.readableBytes > StripeCommand.maximumBodyBytes
                        if tooLarge { body = [] } else { body += buffer.readableBytesView }
                    case .end:
                        guard let requestHead = head else { continue }
                        let answer =
                            tooLarge
                            ? CommandsEndpoint.tooLarge : await self.endpoint.answer(to: requestHead, body: body)
                        let close = tooLarge || !requestHead.isKeepAlive
                        try await self.write(
                            answer,
                            to: connection,
                            outbound,
                            version: requestHead.version,
                            close: close
                        )
                        if close { return }
                        head = nil
                    }
                }
            }
        } catch {
            self.logger.debug("commands connection error", metadata: [LogKey.errorType: "\(type(of: error))"])
        }
    }

    /// Writes `answer` within the write timeout, logs it and counts it.
    private func write(
        _ answer: CommandsEndpoint.Answer,
        to connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        _ outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        version: HTTPVersion,
        close: Bool
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(answer.body.utf8.count))
        if let seconds = answer.retryAfterSeconds { headers.add(name: "retry-after", value: String(seconds)) }
        if let method = answer.allowedMethod { headers.add(name: "allow", value: method) }
        if close { headers.add(name: "connection", value: "close") }
        try await connection.channel.writing(within: self.answerWriteTimeout) {
            try await outbound.write(
                contentsOf: [
                    .head(HTTPResponseHead(version: version, status: answer.status, headers: headers)),
                    .body(.byteBuffer(ByteBuffer(string: answer.body))), .end(nil),
                ])
        }
        if let commandID = answer.lookedUpID {
            // A status lookup (polled, e.g. by `send-command --wait`): neither counted nor logged above debug.
            self.logger.debug(
                "command status answered",
                metadata: [
                    LogKey.outcome: "\(answer.outcome)", LogKey.statusCode: "\(answer.status.code)",
                    LogKey.commandID: "\(commandID)",
                ]
            )
            return
        }
        let kind = answer.command?.kind.rawValue ?? "unknown"
        self.metrics?.commandAnswered(kind: kind, outcome: answer.outcome)
        var metadata: Logger.Metadata = [
            LogKey.outcome: "\(answer.outcome)", LogKey.statusCode: "\(answer.status.code)",
            LogKey.commandKind: "\(kind)",
        ]
        if let command = answer.command { metadata[LogKey.commandID] = "\(command.id)" }
        let level: Logger.Level = answer.status.code < 300 ? .info : answer.status.code >= 500 ? .error : .notice
        self.logger.log(level: level, "command answered", metadata: metadata)
    }
}
