import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import HookgateTestSupport
import Testing

/// Normalization runs in the worker's own task, after the commit: an append (what a webhook's 200 waits on)
/// never waits for it.
@Suite(.timeLimit(.minutes(1)))
struct PreparationOutsideTheCommitTests {
    /// While the worker is stuck normalizing the first event, more events are appended (each returns once
    /// committed); nothing is delivered until normalization goes on, then everything is.
    @Test func appendsDoNotWaitOnNormalization() async throws {
        let gate = Gate()
        let held: @Sendable (DeliveryRecord) async -> Void = { _ in await gate.pass() }
        try await WorkerHarness.run(beforePreparing: held) { harness in
            let listener = try await UpstreamListener(socketPath: harness.socketPath)
            defer { Task { await listener.close() } }
            let first = try await harness.append(try stripeFixture("payment_intent.succeeded.json"))
            while gate.arrivals == 0 { try await Task.sleep(for: .milliseconds(5)) }
            var later: [DeliveryID] = []
            for name in ["charge.refunded.json", "payment_intent.payment_failed.json", "invoice.paid.json"] {
                later.append(try await harness.append(try stripeFixture(name)))
            }
            #expect(gate.arrivals == 1, "the worker is still preparing the first event")
            let stored = try await harness.store.deliveries(matching: DeliveryQuery())
            #expect(stored.count == 4)
            #expect(stored.allSatisfy { $0.state == .pending && $0.catalogType == nil }, "nothing prepared yet")
            #expect(listener.received.isEmpty)
            gate.open()
            for id in [first] + later {
                #expect(try await harness.waitUntilFinal(id).record.state.isFinal)
            }
            #expect(try await harness.store.delivery(first)?.record.state == .delivered)
            #expect(gate.arrivals == 4)
        }
    }
}
