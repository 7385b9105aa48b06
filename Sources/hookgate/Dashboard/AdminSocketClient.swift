import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends requests to the gateway's admin Unix socket for `hookgate dashboard`'s proxy, with a connect and a
/// whole-request timeout and a limit on the answer's size.
struct AdminSocketClient: Sendable {
    /// An answer of the admin listener.
    struct Answer: Sendable {
        var status: Int
        /// The header fields to pass on (without hop-by-hop fields and `content-length`).
        var headers: [(name: String, value: String)]
        var body: ByteBuffer
    }

    /// The largest answer passed on (a delivery's raw body is far smaller; a page of the list too).
    static let maximumAnswerBytes = 64 * 1024 * 1024
    /// How long one request may take, from connecting to the end of its answer.
    static let requestTimeout = TimeAmount.seconds(30)
    /// Request header fields never passed on: hop-by-hop fields, the browser's credentials for the proxy
    /// (the socket needs none), and those the client sets itself.
    static let droppedRequestFields: Set<String> = [
        "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
        "content-length", "cookie", "authorization",
    ]
    /// Answer header fields never passed on (the proxy frames its own answer).
    static let droppedAnswerFields: Set<String> = [
        "connection", "keep-alive", "transfer-encoding", "content-length", "trailer", "upgrade",
    ]

    let socketPath: String
    let client: HTTPClient

    /// A client for the socket at `socketPath`; call ``shutdown()`` when done.
    init(socketPath: String) {
        self.socketPath = socketPath
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(5), read: Self.requestTimeout)
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends `method` `uri` (path and query) with `headers` and `body`.
    /// - Throws: why the socket did not answer (absent, refused, timed out, answer too large).
    func send(method: String, uri: String, headers: HTTPHeaders, body: [UInt8]) async throws -> Answer {
        guard let url = URL(httpURLWithSocketPath: self.socketPath, uri: uri) else {
            throw AdminSocketError("the admin socket path cannot be used in a URL")
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers where !Self.droppedRequestFields.contains(name.lowercased()) {
            request.headers.add(name: name, value: value)
        }
        if !body.isEmpty || !["GET", "HEAD"].contains(method) { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await self.client.execute(
            request,
            timeout: .seconds(Self.requestTimeout.nanoseconds / 1_000_000_000)
        )
        let answerBody = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        return Answer(
            status: Int(response.status.code),
            headers: response.headers.filter { !Self.droppedAnswerFields.contains($0.name.lowercased()) }
                .map { (name: $0.name, value: $0.value) },
            body: answerBody
        )
    }

    /// Closes the client's connections.
    func shutdown() async {
        try? await self.client.shutdown()
    }
}

/// Why the admin socket did not answer.
struct AdminSocketError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
