import Foundation
import HookgateCore
import HookgateStore
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import Testing

@testable import HookgateServer

/// The budget of access-log lines for rejected requests, on an injected clock: alone, and on one ingress
/// connection's real handlers (`EmbeddedIngress`) under a flood of forged signatures.
struct RejectedRequestLogTests {
    /// Within a second, the budget's lines are admitted and the rest counted; the first line of a later
    /// second reports the count, once; a changed budget applies from the next rejection.
    @Test func admitsTheBudgetPerSecondAndReportsWhatItLeftOut() {
        let clock = ManualClock()
        let log = RejectedRequestLog(linesPerSecond: 3, now: { clock.now })

        let first = (0..<5).map { _ in log.admit() }
        #expect(
            first == [.log(suppressedBefore: 0), .log(suppressedBefore: 0), .log(suppressedBefore: 0), .skip, .skip]
        )
        clock.advance(by: .milliseconds(999))
        #expect(log.admit() == .skip)
        clock.advance(by: .milliseconds(1))
        #expect(log.admit() == .log(suppressedBefore: 3))
        #expect(log.admit() == .log(suppressedBefore: 0))

        log.setLinesPerSecond(1)
        #expect(log.admit() == .skip)
        clock.advance(by: .seconds(5))
        #expect(log.admit() == .log(suppressedBefore: 1))
        #expect(log.admit() == .skip)
    }

    /// A forged-signature flood on one connection: every request is answered 401 and counted, but only the
    /// budget's lines are written; the next second's first line says how many were left out.
    @Test func aForgedSignatureFloodIsAnsweredButLoggedWithinTheBudget() throws {
        let logs = InMemoryLogHandler()
        let clock = ManualClock()
        let ingress = try EmbeddedIngress(
            logger: Logger(label: "test", factory: { _ in logs }),
            rejectedLog: RejectedRequestLog(linesPerSecond: 2, now: { clock.now })
        )
        for _ in 0..<6 { try ingress.send(Self.forgedRequest()) }
        clock.advance(by: .seconds(1))
        try ingress.send(Self.forgedRequest())

        let responses = try ingress.responses()
        #expect(responses.count == 7)
        #expect(responses.allSatisfy { $0.status == 401 })
        #expect(ingress.isOpen)
        let lines = logs.entries.filter { "\($0.message)" == "webhook request" }
        try #require(lines.count == 3)
        #expect(lines.allSatisfy { $0.metadata[LogKey.outcome] == "signature_mismatch" })
        #expect(lines[0].metadata[LogKey.suppressed] == nil)
        #expect(lines[1].metadata[LogKey.suppressed] == nil)
        #expect(lines[2].metadata[LogKey.suppressed] == "4")
    }

    /// An accepted request's line is never left out, whatever the rejections spent.
    @Test func acceptedRequestsAreAlwaysLogged() async throws {
        let logs = InMemoryLogHandler()
        let clock = ManualClock()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-rejected-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteDeliveryStore(
            configuration: .init(path: directory.appendingPathComponent("unused.sqlite").path)
        )
        let pipeline = WebhookPipeline(
            store: store,
            metrics: GatewayMetrics(),
            logger: Logger(label: "test", factory: { _ in logs }),
            rejectedLog: RejectedRequestLog(linesPerSecond: 1, now: { clock.now })
        )
        let peer = WebhookPipeline.Peer(try SocketAddress(ipAddress: "192.0.2.7", port: 4000))
        let accepted = WebhookPipeline.Outcome(response: WebhookResponse(status: .ok, body: "{}"), code: "ok")
        for outcome in [WebhookPipeline.Outcome(.notFound), .init(.notFound), accepted, accepted] {
            _ = pipeline.finish(outcome, endpoint: "stripe", startedAt: .now(), peer: peer)
        }
        await store.close()

        #expect(logs.entries.map { $0.metadata[LogKey.outcome] } == ["not_found", "ok", "ok"])
    }

    /// A request to the default endpoint signed with a secret it does not have.
    private static func forgedRequest() -> [UInt8] {
        let body = GatewayHarness.event()
        let signature = GatewayHarness.signature(for: body, secret: "whsec_notTheEndpointsSecret0123456789")
        let head =
            "POST /webhooks/stripe HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            + "content-length: \(body.count)\r\nstripe-signature: \(signature)\r\n\r\n"
        return Array(head.utf8) + body
    }
}
