import AsyncHTTPClient
import HookgateCore
import HookgateServer
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// `hookgate dashboard`'s loopback HTTP server: every request passes the gate (``AdminAccess``, its URL token
/// single-use), then goes to the gateway's admin Unix socket, and its answer comes back.
///
/// Limits: request bodies up to ``AdminServer/maximumRequestBodyBytes`` (413 beyond), the HTTP decoder's own
/// head limit, answers up to ``AdminSocketClient/maximumAnswerBytes``, a connection silent for
/// ``idleTimeout`` is closed, and a forward that takes longer than ``AdminSocketClient/requestTimeout`` is 504.
struct DashboardProxy: Sendable {
    /// How long a connection may stay silent before the proxy closes it.
    static let idleTimeout = TimeAmount.seconds(60)

    let access: AdminAccess
    let admin: AdminSocketClient

    /// Binds `address` (use ``serve(_:)`` on the result; close its channel to stop).
    func bind(
        _ address: ListenAddress
    ) async throws -> NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(allTimeout: Self.idleTimeout), DashboardIdleCloser(),
                    ])
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Serves the bound listener's connections until it is closed.
    func serve(
        _ listener: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
    ) async throws {
        try await listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    group.addTask { await self.serve(connection: connection) }
                }
            }
        }
    }

    private func serve(connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            var tooLarge = false
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    (head, body, tooLarge) = (requestHead, [], false)
                case .body(let buffer):
                    tooLarge = tooLarge || body.count + buffer.readableBytes > AdminServer.maximumRequestBodyBytes
                    if !tooLarge { body += buffer.readableBytesView }
                case .end:
                    guard let requestHead = head else { continue }
                    let answer =
                        tooLarge
                        ? Self.error(413, "payload_too_large", "the request body is larger than 1 MiB")
                        : await self.answer(requestHead, body: body)
                    var headers = HTTPHeaders()
                    for (name, value) in answer.headers { headers.add(name: name, value: value) }
                    for (name, value) in AdminSecurityHeaders.fields where !headers.contains(name: name) {
                        headers.add(name: name, value: value)
                    }
                    headers.replaceOrAdd(name: "content-length", value: String(answer.body.readableBytes))
                    if !requestHead.isKeepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
                    let status = HTTPResponseStatus(statusCode: answer.status)
                    try await outbound.write(
                        contentsOf: [
                            .head(HTTPResponseHead(version: requestHead.version, status: status, headers: headers)),
                            .body(.byteBuffer(requestHead.method == .HEAD ? ByteBuffer() : answer.body)), .end(nil),
                        ])
                    guard requestHead.isKeepAlive else { return }
                    head = nil
                }
            }
        }
    }

    /// The gate's answer, or the admin socket's.
    private func answer(_ head: HTTPRequestHead, body: [UInt8]) async -> AdminSocketClient.Answer {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let request = AdminRequest(
            method: head.method.rawValue,
            path: parts.first.map(String.init) ?? head.uri,
            query: AdminServer.queryParameters(parts.count > 1 ? String(parts[1]) : ""),
            headers: AdminServer.headerFields(head.headers),
            body: body
        )
        if case .answer(let response) = self.access.decide(request, secure: false) {
            return AdminSocketClient.Answer(
                status: response.status,
                headers: [(name: "content-type", value: response.contentType)] + response.headers,
                body: ByteBuffer(bytes: response.body)
            )
        }
        do {
            return try await self.admin.send(
                method: head.method.rawValue,
                uri: head.uri,
                headers: head.headers,
                body: body
            )
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return Self.error(504, "admin_timeout", "the gateway's admin socket did not answer in time")
        } catch {
            return Self.error(502, "admin_unreachable", "the gateway's admin socket did not answer (is serve running?)")
        }
    }

    private static func error(_ status: Int, _ code: String, _ message: String) -> AdminSocketClient.Answer {
        AdminSocketClient.Answer(
            status: status,
            headers: [(name: "content-type", value: "application/json")],
            body: ByteBuffer(string: #"{"error":"\#(code)","message":"\#(message)"}"#)
        )
    }
}

/// Closes a connection when its `IdleStateHandler` says it has been silent too long.
private final class DashboardIdleCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
