import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// A TLS client that sends raw bytes and parses raw HTTP/1.1 answers, so tests control every byte and timing.
final class TestClient {
    /// One parsed answer.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
        /// Every header field in order, names lowercased (a repeated name, e.g. `set-cookie`, appears each time).
        var fields: [(name: String, value: String)] = []

        /// The `error` member of a JSON error body.
        var errorCode: String? {
            guard let data = self.body.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            return object["error"] as? String
        }
    }

    private enum Event: Sendable {
        case handshake
        case data(ByteBuffer)
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncThrowingStream<Event, any Error>.Continuation

        init(_ continuation: AsyncThrowingStream<Event, any Error>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.continuation.yield(.data(Self.unwrapInboundIn(data)))
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case TLSUserEvent.handshakeCompleted = event { self.continuation.yield(.handshake) }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            self.continuation.finish(throwing: error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.continuation.finish()
        }
    }

    let channel: any Channel
    private var events: AsyncThrowingStream<Event, any Error>.AsyncIterator
    private var buffer = ByteBuffer()
    private var handshakeDone = false

    private init(channel: any Channel, events: AsyncThrowingStream<Event, any Error>) {
        self.channel = channel
        self.events = events.makeAsyncIterator()
    }

    /// A client configuration that trusts any certificate (the tests' certificates are self-signed).
    static func tlsConfiguration(
        minimum: TLSVersion = .tlsv12,
        maximum: TLSVersion? = nil
    ) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        configuration.minimumTLSVersion = minimum
        configuration.maximumTLSVersion = maximum
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }

    /// Connects over TCP and starts the TLS handshake (``waitForHandshake()`` waits for it).
    static func connect(port: Int, tls: TLSConfiguration = tlsConfiguration()) async throws -> TestClient {
        let context = try NIOSSLContext(configuration: tls)
        let (stream, continuation) = AsyncThrowingStream<Event, any Error>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try sync.addHandler(Collector(continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return TestClient(channel: channel, events: stream)
    }

    /// Connects without TLS (the admin listener) to a Unix socket or a TCP address.
    static func connectPlain(to address: SocketAddress) async throws -> TestClient {
        let (stream, continuation) = AsyncThrowingStream<Event, any Error>.makeStream()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation))
                }
            }
            .connect(to: address).get()
        let client = TestClient(channel: channel, events: stream)
        client.handshakeDone = true
        return client
    }

    /// Waits for the TLS handshake; throws if it fails.
    func waitForHandshake() async throws {
        while !self.handshakeDone {
            guard let event = try await self.events.next() else { throw TestFailure("closed during the handshake") }
            self.take(event)
        }
    }

    /// The server's leaf certificate.
    func peerCertificate() async throws -> NIOSSLCertificate? {
        try await self.waitForHandshake()
        let channel = self.channel
        return try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
        }.get()
    }

    /// Sends bytes as they are.
    func send(_ bytes: [UInt8]) async throws {
        try await self.channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Sends text as UTF-8.
    func send(_ text: String) async throws {
        try await self.send(Array(text.utf8))
    }

    /// Sends one POST request.
    func post(
        path: String = "/webhooks/stripe",
        body: [UInt8],
        headers: [(String, String)],
        contentType: String? = "application/json"
    ) async throws {
        var head = "POST \(path) HTTP/1.1\r\nhost: localhost\r\ncontent-length: \(body.count)\r\n"
        if let contentType { head += "content-type: \(contentType)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try await self.send(Array(head.utf8) + body)
    }

    /// Reads the next final (non-1xx) answer.
    func readResponse() async throws -> Response {
        while true {
            if let response = try self.parseResponse() {
                if response.status >= 200 { return response }
                continue
            }
            guard let event = try await self.events.next() else {
                throw TestFailure("connection closed before a complete response")
            }
            self.take(event)
        }
    }

    /// Reads the next answer, interim (1xx) or final, and returns its status.
    func readInterimStatus() async throws -> Int {
        while true {
            if let response = try self.parseResponse() { return response.status }
            guard let event = try await self.events.next() else {
                throw TestFailure("connection closed before a response")
            }
            self.take(event)
        }
    }

    /// Waits until the server closes the connection (true), discarding data; false if `timeout` passes first.
    func waitForClose(timeout: Duration = .seconds(5)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            do {
                guard let event = try await self.events.next() else { return true }
                self.take(event)
            } catch {
                return true
            }
        }
        return false
    }

    /// Whether the channel is still open.
    var isActive: Bool { self.channel.isActive }

    func close() async {
        try? await self.channel.close()
    }

    private func take(_ event: Event) {
        switch event {
        case .handshake:
            self.handshakeDone = true
        case .data(var data):
            self.handshakeDone = true
            self.buffer.writeBuffer(&data)
        }
    }

    private func parseResponse() throws -> Response? {
        let bytes = Array(self.buffer.readableBytesView)
        guard let headEnd = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
        let headText = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestFailure("bad status line \(headText)")
        }
        var headers: [String: String] = [:]
        var fields: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append((name, headers[name]!))
        }
        let length = status < 200 ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.count - headEnd.upperBound >= length else { return nil }
        let body = String(decoding: bytes[headEnd.upperBound..<(headEnd.upperBound + length)], as: UTF8.self)
        self.buffer.moveReaderIndex(forwardBy: headEnd.upperBound + length)
        return Response(status: status, headers: headers, body: body, fields: fields)
    }
}
