import Foundation
import HookgateCore
import HookgateStore
import NIOCore
import NIOEmbedded
import Testing

@testable import HookgateServer

/// Request smuggling and framing attacks on an ingress connection (its HTTP handlers on an `EmbeddedChannel`):
/// each is refused with `400 malformed_request`, the connection is closed, and no request reaches the store.
/// A front proxy and Hookgate that read the framing differently is how one request hides another; the only
/// safe answer to an ambiguous frame is to refuse it and drop the connection.
struct HostileHTTPTests {
    /// One attack: what is sent after a valid signed body is prepared.
    struct Attack: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: @Sendable ([UInt8]) -> [UInt8]
        var testDescription: String { self.name }
    }

    /// The head of a signed POST of `body` to the default endpoint, with `framing` (header lines ending in
    /// CRLF) in place of `content-length`.
    static func head(_ body: [UInt8], framing: String) -> String {
        "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            + "stripe-signature: \(GatewayHarness.signature(for: body))\r\n" + framing
    }

    static let attacks: [Attack] = [
        Attack(name: "Content-Length and Transfer-Encoding together") { body in
            let framing = "content-length: \(body.count)\r\ntransfer-encoding: chunked\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + Self.chunked(body)
        },
        Attack(name: "Transfer-Encoding then Content-Length") { body in
            let framing = "transfer-encoding: chunked\r\ncontent-length: \(body.count)\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + Self.chunked(body)
        },
        Attack(name: "two different Content-Lengths") { body in
            let framing = "content-length: \(body.count)\r\ncontent-length: \(body.count + 5)\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + body + Array("AAAAA".utf8)
        },
        Attack(name: "a Content-Length list") { body in
            let framing = "content-length: \(body.count), \(body.count + 5)\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + body + Array("AAAAA".utf8)
        },
        Attack(name: "a Transfer-Encoding that is not chunked last") { body in
            let framing = "transfer-encoding: chunked, identity\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + Self.chunked(body)
        },
        Attack(name: "an obs-fold header line") { body in
            let framing = "content-length: \(body.count)\r\nx-note: first\r\n  folded\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + body
        },
        Attack(name: "a bare LF ending a header line") { body in
            let framing = "content-length: \(body.count)\nx-note: after-a-bare-lf\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + body
        },
        Attack(name: "a bare LF ending the head") { body in
            let framing = "content-length: \(body.count)\r\n\n"
            return Array(Self.head(body, framing: framing).utf8) + body
        },
        Attack(name: "a NUL byte in a header value") { body in
            let framing = "content-length: \(body.count)\r\nx-note: a\u{0}b\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + body
        },
        Attack(name: "a NUL byte in the request target") { body in
            let head = Self.head(body, framing: "content-length: \(body.count)\r\n\r\n")
            return Array(head.replacingOccurrences(of: "/webhooks/stripe", with: "/webhooks/stripe\u{0}x").utf8) + body
        },
        Attack(name: "a space before a header's colon") { body in
            let framing = "content-length : \(body.count)\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + body
        },
        Attack(name: "a chunk size that overflows") { body in
            let framing = "transfer-encoding: chunked\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + Array("10000000000000000000001\r\n".utf8) + body
        },
        Attack(name: "a chunk size that is not hexadecimal") { body in
            let framing = "transfer-encoding: chunked\r\n\r\n"
            return Array(Self.head(body, framing: framing).utf8) + Array("-5\r\n".utf8) + body
        },
    ]

    /// `body` as one chunk and the last chunk.
    static func chunked(_ body: [UInt8]) -> [UInt8] {
        Array("\(String(body.count, radix: 16))\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)
    }

    @Test(arguments: Self.attacks)
    func isRefusedAndTheConnectionClosed(_ attack: Attack) throws {
        let ingress = try EmbeddedIngress()
        let body = GatewayHarness.event(id: "evt_smuggled")
        try? ingress.send(attack.bytes(body))
        let verified = try ingress.verified()
        #expect(verified.isEmpty, "a request was handed on: \(verified.map(\.delivery.eventID))")
        let responses = try ingress.responses()
        #expect(responses.map(\.status) == [400], "\(responses.map { "\($0.status) \($0.body)" })")
        #expect(responses.first?.errorCode == "malformed_request")
        #expect(responses.first?.headers["connection"] == "close")
        #expect(!ingress.isOpen, "the connection is still open")
    }

    /// A chunk extension longer than the framing allowance (NIO's decoder reads extensions without a limit),
    /// streamed after the head as an attacker would: refused with 400 and closed once the allowance is past,
    /// before the chunk's data; the same extension on a body as large as itself is read.
    @Test func anOversizedChunkExtensionIsRefused() throws {
        let ingress = try EmbeddedIngress()
        let body = GatewayHarness.event(id: "evt_extended")
        try ingress.send(Self.head(body, framing: "transfer-encoding: chunked\r\n\r\n"))
        try ingress.send("\(String(body.count, radix: 16));name=")
        for _ in 0..<20 where ingress.isOpen {
            try? ingress.send(String(repeating: "e", count: 1_024))
        }
        #expect(try ingress.verified().isEmpty)
        let responses = try ingress.responses()
        #expect(responses.map(\.status) == [400], "\(responses.map { "\($0.status) \($0.body)" })")
        #expect(responses.first?.errorCode == "malformed_request")
        #expect(!ingress.isOpen)
    }

    /// The same request, framed honestly (by length, chunked, and chunked with a short extension), is accepted:
    /// the attacks above are refused for their framing, not for what they carry.
    @Test(arguments: ["length", "chunked", "chunked with an extension"])
    func anHonestFrameIsAccepted(_ framing: String) throws {
        let ingress = try EmbeddedIngress()
        let body = GatewayHarness.event(id: "evt_honest")
        switch framing {
        case "length":
            try ingress.send(Array(Self.head(body, framing: "content-length: \(body.count)\r\n\r\n").utf8) + body)
        case "chunked":
            try ingress.send(
                Array(Self.head(body, framing: "transfer-encoding: chunked\r\n\r\n").utf8) + Self.chunked(body)
            )
        default:
            let chunk =
                Array("\(String(body.count, radix: 16));name=value\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)
            try ingress.send(Array(Self.head(body, framing: "transfer-encoding: chunked\r\n\r\n").utf8) + chunk)
        }
        #expect(try ingress.verified().map(\.delivery.eventID) == ["evt_honest"])
        #expect(ingress.isOpen)
    }
}
