import NIOConcurrencyHelpers

/// A gate that tasks (e.g. the worker's preparation hook) wait at until the test opens it.
public final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var arrivals = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// How many callers reached the gate.
    public var arrivals: Int { state.withLockedValue { $0.arrivals } }

    /// Returns once the gate is open (at once if it is).
    public func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLockedValue { state in
                state.arrivals += 1
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    /// Opens the gate for every caller waiting and every later one.
    public func open() {
        let waiting = state.withLockedValue { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
