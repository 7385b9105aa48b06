import NIOConcurrencyHelpers

/// Whether the store's ``SQLiteDeliveryStore/run()`` has started and finished, so that ``SQLiteDeliveryStore/close()``
/// can wait for it.
final class StoreLifecycle: Sendable {
    private enum Phase {
        case idle
        case running
        case finished
    }

    private struct State {
        var phase = Phase.idle
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    /// Marks the store running; false when it ran, runs or was closed before.
    func start() -> Bool {
        state.withLockedValue { state in
            guard state.phase == .idle else { return false }
            state.phase = .running
            return true
        }
    }

    /// Marks a store that never ran as finished; false when it runs or ran.
    func closeIfNeverStarted() -> Bool {
        state.withLockedValue { state in
            guard state.phase == .idle else { return false }
            state.phase = .finished
            return true
        }
    }

    /// Marks the run finished and wakes every ``waitUntilFinished()``.
    func finish() {
        let waiters = state.withLockedValue { state in
            state.phase = .finished
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the run finished.
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLockedValue { state in
                guard state.phase != .finished else { return true }
                state.waiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }
}
