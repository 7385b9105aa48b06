import Foundation
import HookgateCore
import HookgateStore
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1

@testable import HookgateServer

/// One ingress connection's HTTP handlers (the gateway's own: NIO's server pipeline, the gzip decompressor,
/// the connection handler) on an `EmbeddedChannel`, fed fuzzed bytes. Whatever the bytes, it must not crash,
/// and every request it hands on for storing must carry a signature that verifies on its stored body: the
/// gateway's promise that no unsigned event is stored.
public enum FuzzedIngress {
    /// The endpoint's secret (for the fuzzer only).
    static let secret = "whsec_fuzzIngressOnlyNotARealSecret012345"
    static let scheme = StripeSignatureScheme()
    static let keyring = try! Keyring(scheme: scheme, secrets: [LabelledSecret(label: "fuzz", secret: Secret(secret))])

    /// The pipeline's store is never appended to (the connection's async loop does that, and this plays it).
    static let pipeline: WebhookPipeline = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-fuzz-\(getpid())")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try! SQLiteDeliveryStore(
            configuration: .init(path: directory.appendingPathComponent("unused.sqlite").path)
        )
        var logger = Logger(label: "hookgate.fuzz")
        logger.logLevel = .critical
        return WebhookPipeline(store: store, metrics: GatewayMetrics(), logger: logger)
    }()

    static let settings = GatewaySettings(
        listen: [ListenAddress(host: "127.0.0.1", port: 0)],
        tls: TLSFiles(certificateChainPath: "/unused", privateKeyPath: "/unused"),
        endpoints: [
            GatewayEndpoint(
                name: "stripe",
                path: "/webhooks/stripe",
                scheme: scheme,
                keyring: keyring,
                expectedMode: .any,
                allowedSources: [],
                maximumBodyBytes: 64 * 1024
            )
        ],
        limits: GatewayLimits(),
        admin: .unixSocket(path: "/unused")
    )

    /// `body` signed now with the endpoint's secret: a `stripe-signature` value.
    public static func signature(for body: [UInt8]) -> String {
        let now = Int64(Date().timeIntervalSince1970)
        return body.withUnsafeBytes {
            scheme.sign(body: $0, keys: [keyring.entries[0].key], timestamp: now, messageID: nil)["stripe-signature"]!
        }
    }

    /// A signed POST of `body` to the endpoint, framed by its length, with `extraHeaders` (CRLF-ended lines).
    public static func signedRequest(_ body: [UInt8], extraHeaders: String = "") -> [UInt8] {
        var head = "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        head += "content-length: \(body.count)\r\nstripe-signature: \(signature(for: body))\r\n" + extraHeaders
        return Array((head + "\r\n").utf8) + body
    }

    /// Feeds `bytes` to a new connection in reads cut at `cuts` (offsets), answering every request handed on as
    /// stored, moving the clock past every timeout at the end; crashes if a request handed on does not verify.
    public static func run(_ bytes: [UInt8], cuts: [Int]) {
        let channel = EmbeddedChannel()
        let address = try! SocketAddress(ipAddress: "127.0.0.1", port: 40_000)
        try! channel.pipeline.syncOperations.addWebhookHTTPHandlers(
            settings: settings,
            pipeline: pipeline,
            peer: WebhookPipeline.Peer(address)
        )
        try! channel.connect(to: address).wait()
        var start = 0
        for cut in (cuts.filter { $0 > 0 && $0 < bytes.count }.sorted() + [bytes.count]) where cut > start {
            guard channel.isActive else { break }
            _ = try? channel.writeInbound(ByteBuffer(bytes: bytes[start..<cut]))
            start = cut
            answerHandedOn(channel)
        }
        channel.embeddedEventLoop.advanceTime(by: .hours(1))
        answerHandedOn(channel)
        while (try? channel.readOutbound(as: ByteBuffer.self)) != nil {}
        _ = try? channel.finish()
    }

    /// Checks and answers the requests the handlers handed on to the async loop.
    private static func answerHandedOn(_ channel: EmbeddedChannel) {
        while let request = try? channel.readInbound(as: WebhookRequest.self) {
            let delivery = request.delivery
            let verified = delivery.body.withUnsafeBytes { body in
                (try? scheme.verify(
                    body: body,
                    headers: ["stripe-signature": delivery.headers.signature ?? ""],
                    keyring: keyring,
                    tolerance: TimestampTolerance(past: 3600, future: 3600),
                    now: Int64(Date().timeIntervalSince1970)
                )) != nil
            }
            precondition(verified, "a request whose signature does not verify was handed on for storing")
            let answer = WebhookResponse(status: .ok, body: #"{"id":"x","duplicate":false}"#)
            _ = try? channel.writeOutbound(answer)
        }
    }
}
