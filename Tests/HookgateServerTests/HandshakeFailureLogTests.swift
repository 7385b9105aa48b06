import InMemoryLogging
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import HookgateServer

/// The log of clients that cannot connect: once per address per minute, on an injected clock; and the
/// plain-HTTP responder in front of TLS, on an `EmbeddedChannel`.
struct HandshakeFailureLogTests {
    private static func peer(_ host: String, port: Int) throws -> WebhookPipeline.Peer {
        WebhookPipeline.Peer(try SocketAddress(ipAddress: host, port: port))
    }

    /// The first failure of an address is logged; more within the minute are counted and reported with the
    /// next line after it; other addresses have lines of their own.
    @Test func logsEachAddressOncePerMinute() throws {
        let logs = InMemoryLogHandler()
        let clock = ManualClock()
        let log = HandshakeFailureLog(logger: Logger(label: "test", factory: { _ in logs }), now: { clock.now })

        #expect(
            log.record(.protocolVersion, peer: try Self.peer("192.0.2.1", port: 1000), detail: "UNSUPPORTED_PROTOCOL")
        )
        #expect(!log.record(.protocolVersion, peer: try Self.peer("192.0.2.1", port: 1001)))
        #expect(!log.record(.notTLS, peer: try Self.peer("192.0.2.1", port: 1002)))
        #expect(log.record(.unknownCA, peer: try Self.peer("192.0.2.2", port: 1000)))
        clock.advance(by: .seconds(59))
        #expect(!log.record(.protocolVersion, peer: try Self.peer("192.0.2.1", port: 1003)))
        clock.advance(by: .seconds(1))
        #expect(log.record(.protocolVersion, peer: try Self.peer("192.0.2.1", port: 1004)))

        let entries = logs.entries
        try #require(entries.count == 3)
        #expect(entries.allSatisfy { $0.level == .info })
        #expect(entries[0].metadata[LogKey.peer] == "192.0.2.1:1000")
        #expect(entries[0].metadata[LogKey.tlsFailureReason] == "protocol_version")
        #expect(entries[0].metadata[LogKey.errorType] == "UNSUPPORTED_PROTOCOL")
        #expect(entries[0].metadata[LogKey.suppressed] == nil)
        #expect(
            "\(entries[1].message)"
                == "client cannot connect: the client does not trust the server's certificate (unknown CA)"
        )
        #expect(entries[2].metadata[LogKey.suppressed] == "3")
    }

    /// The table of addresses is bounded: when it is full of recent addresses, new ones are not logged; once
    /// the minute has passed, they are again.
    @Test func theTableOfAddressesIsBounded() throws {
        let logs = InMemoryLogHandler()
        let clock = ManualClock()
        let log = HandshakeFailureLog(logger: Logger(label: "test", factory: { _ in logs }), now: { clock.now })
        for index in 0..<HandshakeFailureLog.maximumAddresses {
            let address = "10.0.\(index / 256).\(index % 256)"
            #expect(log.record(.notTLS, peer: try Self.peer(address, port: 1)))
        }
        #expect(!log.record(.notTLS, peer: try Self.peer("192.0.2.9", port: 1)))
        clock.advance(by: .minutes(1))
        #expect(log.record(.notTLS, peer: try Self.peer("192.0.2.9", port: 1)))
        #expect(logs.entries.count == HandshakeFailureLog.maximumAddresses + 1)
    }

    /// An `EmbeddedChannel` with a ``PlainHTTPResponder`` in it, the log it writes to, and its refusal count.
    private static func channelWithResponder() throws -> (EmbeddedChannel, InMemoryLogHandler, NIOLockedValueBox<Int>) {
        let channel = EmbeddedChannel()
        let logs = InMemoryLogHandler()
        let log = HandshakeFailureLog(logger: Logger(label: "test", factory: { _ in logs }))
        let refusals = NIOLockedValueBox(0)
        let responder = PlainHTTPResponder(log: log, peer: try Self.peer("127.0.0.1", port: 5)) {
            refusals.withLockedValue { $0 += 1 }
        }
        try channel.pipeline.syncOperations.addHandler(responder)
        return (channel, logs, refusals)
    }

    /// A TLS record goes on untouched and the responder leaves the pipeline.
    @Test func aTLSRecordPassesThrough() throws {
        let (channel, logs, refusals) = try Self.channelWithResponder()
        let hello = ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00])
        try channel.writeInbound(hello)
        #expect(try channel.readInbound(as: ByteBuffer.self) == hello)
        #expect(throws: (any Error).self) {
            try channel.pipeline.syncOperations.context(handlerType: PlainHTTPResponder.self)
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        #expect(refusals.withLockedValue { $0 } == 0)
        #expect(logs.entries.isEmpty)
        _ = try channel.finish()
    }

    /// A plain-HTTP head that arrives in pieces is answered once the blank line has come, in clear text,
    /// and nothing reaches the TLS handler; a Host that is not plain gets the general hint.
    @Test func aPlainHTTPRequestIsAnsweredInClearText() throws {
        let (channel, logs, refusals) = try Self.channelWithResponder()
        try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 8443)).wait()
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: <script>\r\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "no answer before the head is complete")
        try channel.writeInbound(ByteBuffer(string: "Accept: */*\r\n\r\n"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        let answer = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let text = String(buffer: answer)
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(text.contains("\r\nconnection: close\r\n"))
        #expect(
            text.hasSuffix(#"{"error":"plain_http_on_tls_port","message":"this port speaks HTTPS: use https:// URLs"}"#)
        )
        #expect(refusals.withLockedValue { $0 } == 1)
        #expect(logs.entries.map { $0.metadata[LogKey.tlsFailureReason] } == ["plain_http"])
        _ = try? channel.finish()
    }
}
