import NIOConcurrencyHelpers
import NIOCore

/// The addresses a server bound, or why it could not bind, for callers waiting on them.
final class BindingResult: Sendable {
    private struct State {
        var result: Result<[SocketAddress], any Error>?
        var waiters: [CheckedContinuation<[SocketAddress], any Error>] = []
    }

    private let state = NIOLockedValueBox(State())

    /// Waits until the server has bound (or failed to).
    func wait() async throws -> [SocketAddress] {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<[SocketAddress], any Error>? = self.state.withLockedValue { state in
                if state.result == nil { state.waiters.append(continuation) }
                return state.result
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Whether the server has bound successfully.
    var isBound: Bool {
        self.state.withLockedValue { state in
            if case .success = state.result { true } else { false }
        }
    }

    /// Records the outcome and wakes the waiters.
    func complete(_ result: Result<[SocketAddress], any Error>) {
        let waiters = self.state.withLockedValue { state in
            state.result = result
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
