import Foundation
import HookgateCore
import HookgateStore
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1

@testable import HookgateServer

/// One ingress connection's HTTP handlers (NIO's server pipeline, the decompressor, ``IngressConnectionHandler``)
/// on an `EmbeddedChannel`: no socket, no TLS, time moved by hand. Requests go in as bytes, answers come out as
/// bytes; verified requests come out where the connection's async loop would read them.
final class EmbeddedIngress {
    let channel: EmbeddedChannel
    private let directory: URL
    /// Answer bytes read from the channel but not yet a whole response.
    private var unparsed: [UInt8] = []

    /// The handlers for the default test endpoint with `limits` (the test limits if `nil`), connected; the
    /// access log goes to `logger` (none above `critical` if `nil`), within `rejectedLog`'s budget.
    init(
        limits: GatewayLimits? = nil,
        endpoints: [GatewayEndpoint]? = nil,
        logger: Logger? = nil,
        rejectedLog: RejectedRequestLog? = nil
    ) throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-embedded-\(UUID())")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        // Never appended to here: the async loop does that, and these tests play its part.
        let store = try SQLiteDeliveryStore(
            configuration: .init(path: self.directory.appendingPathComponent("unused.sqlite").path)
        )
        var quiet = Logger(label: "hookgate.test")
        quiet.logLevel = .critical
        var pipeline = WebhookPipeline(store: store, metrics: GatewayMetrics(), logger: logger ?? quiet)
        if let rejectedLog { pipeline.rejectedLog = rejectedLog }
        let settings = GatewaySettings(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)],
            tls: TLSFiles(certificateChainPath: "/unused", privateKeyPath: "/unused"),
            endpoints: try endpoints ?? [GatewayHarness.endpoint()],
            limits: limits ?? GatewayHarness.limits,
            admin: .unixSocket(path: "/unused")
        )
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 40_000)
        self.channel = EmbeddedChannel()
        try self.channel.pipeline.syncOperations.addWebhookHTTPHandlers(
            settings: settings,
            pipeline: pipeline,
            peer: WebhookPipeline.Peer(address)
        )
        try self.channel.connect(to: address).wait()
    }

    deinit {
        _ = try? self.channel.finish()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Whether the connection is still open.
    var isOpen: Bool { self.channel.isActive }

    /// Sends request bytes (one read, then read-complete, as a socket would deliver them).
    func send(_ text: String) throws {
        try self.send(Array(text.utf8))
    }

    /// Sends request bytes (one read, then read-complete).
    func send(_ bytes: [UInt8]) throws {
        try self.channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    /// A request head for the default endpoint with `body`'s length and signature, then the body.
    static func signedRequest(
        _ body: [UInt8],
        path: String = "/webhooks/stripe",
        extraHeaders: String = ""
    )
        -> [UInt8]
    {
        var head = "POST \(path) HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        head += "content-length: \(body.count)\r\nstripe-signature: \(GatewayHarness.signature(for: body))\r\n"
        return Array((head + extraHeaders + "\r\n").utf8) + body
    }

    /// The verified requests handed to the async loop so far.
    func verified() throws -> [WebhookRequest] {
        var requests: [WebhookRequest] = []
        while let request = try self.channel.readInbound(as: WebhookRequest.self) { requests.append(request) }
        return requests
    }

    /// Answers the oldest verified request as the async loop does.
    func answer(_ response: WebhookResponse) throws {
        try self.channel.writeOutbound(response)
    }

    /// Moves the event loop's clock on, running the timers due.
    func advance(by amount: TimeAmount) {
        self.channel.embeddedEventLoop.advanceTime(by: amount)
    }

    /// The whole responses written so far (interim ones included), oldest first.
    func responses() throws -> [TestClient.Response] {
        while let buffer = try self.channel.readOutbound(as: ByteBuffer.self) {
            self.unparsed += buffer.readableBytesView
        }
        var responses: [TestClient.Response] = []
        while let (response, length) = Self.parse(self.unparsed[...]) {
            responses.append(response)
            self.unparsed.removeFirst(length)
        }
        return responses
    }

    /// The first response in `bytes` and its length, if it is all there.
    private static func parse(_ bytes: ArraySlice<UInt8>) -> (TestClient.Response, Int)? {
        let separator = Array("\r\n\r\n".utf8)
        guard let headEnd = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces
            )
        }
        let bodyStart = headEnd + separator.count
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard bytes.endIndex - bodyStart >= length else { return nil }
        let body = String(decoding: bytes[bodyStart..<(bodyStart + length)], as: UTF8.self)
        return (
            TestClient.Response(status: status, headers: headers, body: body), bodyStart + length - bytes.startIndex
        )
    }
}
