import Foundation
import Logging
import ServiceLifecycle
import Synchronization

extension SQLiteDeliveryStore {
    /// Commits appends and completions, checkpoints the WAL and purges expired deliveries until a graceful
    /// shutdown, a cancellation or ``close()``; then commits what was accepted and stops the housekeeping.
    public func run() async throws {
        guard lifecycle.start() else { return }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { housekeeping in
                    housekeeping.addTask { await self.checkpointer.run() }
                    housekeeping.addTask { await self.purgePeriodically() }
                    await withDiscardingTaskGroup { commits in
                        commits.addTask { await self.committer.run() }
                        commits.addTask { await self.completionCommitter.run() }
                    }
                    housekeeping.cancelAll()
                }
            } onGracefulShutdown: {
                self.refuseNewWrites()
            }
        } onCancel: {
            self.refuseNewWrites()
        }
        workSignal.finish()
        lifecycle.finish()
    }

    public func close() async {
        refuseNewWrites()
        if lifecycle.closeIfNeverStarted() {
            // Nothing runs the committers: commit here what was queued before the close.
            await committer.run()
            await completionCommitter.run()
            workSignal.finish()
        } else {
            await lifecycle.waitUntilFinished()
        }
    }

    private func refuseNewWrites() {
        committer.close()
        completionCommitter.close()
    }

    /// Purges at once, then every ``RetentionPolicy/purgeInterval``, until cancelled; never without an interval.
    private func purgePeriodically() async {
        guard let interval = configuration.retention.purgeInterval else { return }
        while !Task.isCancelled {
            do {
                let purged = try await purgeExpired(now: Date())
                if purged > 0 { logger.info("retention purge", metadata: ["hookgate.purged": "\(purged)"]) }
            } catch {
                logger.error("retention purge failed", metadata: ["error.type": "\(error.code)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

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

    private let state = Mutex(State())

    /// Marks the store running; false when it ran, runs or was closed before.
    func start() -> Bool {
        state.withLock { state in
            guard state.phase == .idle else { return false }
            state.phase = .running
            return true
        }
    }

    /// Marks a store that never ran as finished; false when it runs or ran.
    func closeIfNeverStarted() -> Bool {
        state.withLock { state in
            guard state.phase == .idle else { return false }
            state.phase = .finished
            return true
        }
    }

    /// Marks the run finished and wakes every ``waitUntilFinished()``.
    func finish() {
        let waiters = state.withLock { state in
            state.phase = .finished
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the run finished.
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { state in
                guard state.phase != .finished else { return true }
                state.waiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }
}
