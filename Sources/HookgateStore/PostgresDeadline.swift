import NIOConcurrencyHelpers

/// Runs a database operation with a time limit, and stops waiting for it when the limit passes.
///
/// The PostgreSQL store needs it because postgres-nio waits without a limit in two places: a connection
/// request waits while the pool fails to connect (about a minute, until its circuit breaker opens; cancelling
/// the request ends it), and a query sent on a connection whose server went silent waits for an answer (the
/// query cannot be cancelled). The operation runs in a task of its own: at the limit that task is cancelled,
/// which ends a wait for a connection, and the caller gets `storeUnavailable` at once, whether or not the
/// operation ever ends. A transaction that commits after its caller gave up is harmless: every write of the
/// store may be repeated (an append the caller answered 503 to is a duplicate when the sender retries).
enum PostgresDeadline {
    /// `operation`'s result, or ``StoreError/Code/storeUnavailable`` once `limit` passed (or the caller was
    /// cancelled) without one.
    static func run<T: Sendable>(
        limit: Duration,
        _ operation: @escaping @Sendable () async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let race = Race<T>()
        let result: Result<T, StoreError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.start(continuation)
                let work = Task {
                    do throws(StoreError) {
                        race.finish(.success(try await operation()))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    guard !Task.isCancelled else { return }
                    race.finish(.failure(.storeUnavailable(detail: "PostgreSQL did not answer within \(limit)")))
                }
                // Whoever wins, the timer stops, and the operation is cancelled if it still runs.
                race.onFinish {
                    timer.cancel()
                    work.cancel()
                }
            }
        } onCancel: {
            race.finish(.failure(.storeUnavailable(detail: "cancelled")))
        }
        return try result.get()
    }

    /// The first of the operation, the timer and the caller's cancellation to finish.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result<T, StoreError>, Never>?
            var result: Result<T, StoreError>?
            var onFinish: (@Sendable () -> Void)?
        }

        private let state = NIOLockedValueBox(State())

        func start(_ continuation: CheckedContinuation<Result<T, StoreError>, Never>) {
            let early = state.withLockedValue { state -> Result<T, StoreError>? in
                if let result = state.result { return result }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }

        /// Runs `action` once the race is decided (now, if it is).
        func onFinish(_ action: @escaping @Sendable () -> Void) {
            let decided = state.withLockedValue { state -> Bool in
                guard state.result == nil else { return true }
                state.onFinish = action
                return false
            }
            if decided { action() }
        }

        /// Decides the race with `result` unless it is decided.
        func finish(_ result: Result<T, StoreError>) {
            let decided = state.withLockedValue {
                state -> (CheckedContinuation<Result<T, StoreError>, Never>?, (@Sendable () -> Void)?)? in
                guard state.result == nil else { return nil }
                state.result = result
                defer {
                    state.continuation = nil
                    state.onFinish = nil
                }
                return (state.continuation, state.onFinish)
            }
            guard let (continuation, action) = decided else { return }
            continuation?.resume(returning: result)
            action?()
        }
    }
}
