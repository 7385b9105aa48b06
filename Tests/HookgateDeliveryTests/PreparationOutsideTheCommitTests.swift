import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import Synchronization
import Testing

/// Normalization runs in the worker's own task, after the commit: an append (what a webhook's 200 waits on)
/// never waits for it.
@Suite(.timeLimit(.minutes(1)))
struct PreparationOutsideTheCommitTests {
    /// A gate the worker's preparation hook waits at until the test opens it.
    final class Gate: Sendable {
        private struct State {
            var isOpen = false
            var waiting: [CheckedContinuation<Void, Never>] = []
            var arrivals = 0
        }

        private let state = Mutex(State())

        /// How many preparations reached the gate.
        var arrivals: Int { state.withLock { $0.arrivals } }

        func pass() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let isOpen = state.withLock { state in
                    state.arrivals += 1
                    if !state.isOpen { state.waiting.append(continuation) }
                    return state.isOpen
                }
                if isOpen { continuation.resume() }
            }
        }

        func open() {
            let waiting = state.withLock { state in
                state.isOpen = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    /// While the worker is stuck normalizing the first event, more events are appended (each returns once
    /// committed); nothing is delivered until normalization goes on, then everything is.
    @Test func appendsDoNotWaitOnNormalization() async throws {
        let gate = Gate()
        try await WorkerHarness.run(beforePreparing: { _ in await gate.pass() }) { harness in
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
