import NIOConcurrencyHelpers

/// The hints of ``DeliveryStore/workAvailable()``: every subscriber's stream gets one element per
/// ``notify()``, coalesced while it has not read the last one.
final class WorkSignal: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
        var nextID = 0
        var isFinished = false
    }

    private let state = NIOLockedValueBox(State())

    /// A new stream of hints; it ends at ``finish()``, or at once when that was called.
    func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLockedValue { state -> Int? in
            guard !state.isFinished else { return nil }
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Gives every subscriber a hint.
    func notify() {
        for subscriber in state.withLockedValue({ Array($0.subscribers.values) }) { subscriber.yield() }
    }

    /// Ends every stream, and those subscribed later.
    func finish() {
        let subscribers = state.withLockedValue { state in
            state.isFinished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
