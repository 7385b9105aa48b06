import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import HookgateTestSupport
import Logging
import Metrics
import NIOConcurrencyHelpers
import ServiceLifecycle
import Testing

/// A webhook's 200 never waits on the delivery worker: through the real HTTPS front door, with the worker's
/// normalization held at a gate and then slowed to 200 ms an event, every webhook is answered at once and
/// the events are delivered afterwards.
@Suite(.timeLimit(.minutes(1)))
struct AnswerBeforeNormalizationTests {
    @Test func theFrontDoorAnswersWhileNormalizationIsHeld() async throws {
        let gate = Gate()
        let prepared = NIOLockedValueBox<[String]>([])
        let worker: (SQLiteDeliveryStore, URL) throws -> [any Service] = { store, directory in
            [
                DeliveryWorker(
                    store: store,
                    upstream: UpstreamSettings(
                        socketPath: directory.appendingPathComponent("up.sock").path,
                        requestPath: "/events",
                        maximumInFlight: 4,
                        timeout: .seconds(2)
                    ),
                    endpoints: ["stripe": .normalized(NormalizationOptions())],
                    metricsFactory: NOOPMetricsHandler.instance,
                    logger: Logger(label: "test.worker"),
                    beforePreparing: { record in
                        await gate.pass()
                        try? await Task.sleep(for: .milliseconds(200))
                        prepared.withLockedValue { $0.append(record.received.eventID) }
                    }
                )
            ]
        }
        try await GatewayHarness.run(alongside: worker) { harness in
            let listener = try await UpstreamListener(
                socketPath: harness.directory.appendingPathComponent("up.sock").path
            )
            let client = try await harness.connect()
            let ids = (0..<5).map { "evt_heldNormalization\($0)" }
            let first = try await harness.postSigned(client, body: try Self.paymentSucceeded(ids[0]))
            #expect(first.status == 200)
            while gate.arrivals == 0 { try await Task.sleep(for: .milliseconds(5)) }

            // The worker is now busy normalizing the first event, and stays so until the gate opens.
            let clock = ContinuousClock()
            var answerTimes: [Duration] = []
            for id in ids.dropFirst() {
                let sent = clock.now
                let response = try await harness.postSigned(client, body: try Self.paymentSucceeded(id))
                answerTimes.append(clock.now - sent)
                #expect(response.status == 200, "\(response.body)")
            }
            #expect(gate.arrivals == 1, "the worker is still normalizing the first event")
            #expect(prepared.withLockedValue { $0.isEmpty })
            let stored = try await harness.sqlite.deliveries(matching: DeliveryQuery())
            #expect(Set(stored.map(\.received.eventID)) == Set(ids), "every answered webhook is stored")
            #expect(stored.allSatisfy { $0.state == .pending && $0.catalogType == nil }, "none is normalized yet")
            #expect(listener.received.isEmpty)

            gate.open()
            let forwarded = await listener.waitForRequests(ids.count)
            #expect(forwarded.count == ids.count)
            #expect(Set(prepared.withLockedValue { $0 }) == Set(ids))
            await client.close()
            print("while normalization was held, the front door answered 4 webhooks in \(answerTimes)")
            await listener.close()
        }
    }

    /// The real `payment_intent.succeeded` fixture as event `id`, about a payment of its own.
    static func paymentSucceeded(_ id: String) throws -> [UInt8] {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
        let fixture = try String(
            contentsOfFile: path + "/Fixtures/stripe-events/payment_intent.succeeded.json",
            encoding: .utf8
        )
        let body = fixture.replacingOccurrences(of: "evt_WRAPPED0000000000000001", with: id)
            .replacingOccurrences(of: "pi_Aabcxyz01aDfoo", with: "pi_" + id.dropFirst(4))
        return Array(body.utf8)
    }
}
