import NIOConcurrencyHelpers

/// Batches concurrent submissions into one commit: while one batch is being written, new
/// submissions queue up, and the next batch takes them all (up to a bound) in one transaction.
///
/// Each submitter resumes only after the batch holding its item was committed or failed, or, with a
/// wait limit, once that limit passed since it submitted (`storeUnavailable`; a commit of its item
/// that ends later is not reported to it). The queue is bounded: a submission to a full queue fails
/// at once with `storeOverloaded`. Knows nothing about databases: the commit function is given.
final class GroupCommitter<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch in one transaction and returns one output per item, in order.
    typealias Commit = @Sendable ([Item]) async throws(StoreError) -> [Output]

    private struct Waiter {
        var item: Item
        var continuation: CheckedContinuation<Result<Output, StoreError>, Never>
        /// When the submitter stops waiting (with a wait limit).
        var deadline: ContinuousClock.Instant?
    }

    private struct State {
        var queue: [Waiter] = []
        /// The batch being committed.
        var committing: [Waiter] = []
        /// How many of `committing`, from the first, were already answered at their deadline.
        var committingExpired = 0
        var writerWakeup: CheckedContinuation<Void, Never>?
        var isClosed = false
    }

    private let maxBatchSize: Int
    private let queueCapacity: Int
    private let waitLimit: Duration?
    private let commit: Commit
    private let state = NIOLockedValueBox(State())

    /// - Parameters:
    ///   - maxBatchSize: The most items in one commit (1 gives one transaction per item).
    ///   - queueCapacity: The most items waiting for a batch (the batch being committed not included).
    ///   - waitLimit: The longest a submitter waits, queued and committing together (`nil`: until its
    ///     batch ends).
    ///   - commit: Writes one batch.
    init(maxBatchSize: Int, queueCapacity: Int, waitLimit: Duration? = nil, commit: @escaping Commit) {
        precondition(maxBatchSize > 0 && queueCapacity >= maxBatchSize)
        precondition(waitLimit.map { $0 > .zero } ?? true)
        self.maxBatchSize = maxBatchSize
        self.queueCapacity = queueCapacity
        self.waitLimit = waitLimit
        self.commit = commit
    }

    /// How many submissions wait for a batch (not counting the batch being committed).
    var queueDepth: Int {
        state.withLockedValue { $0.queue.count }
    }

    /// Queues the item and waits until its batch is committed.
    /// - Throws: `storeOverloaded` when the queue is full, `storeUnavailable` when closed,
    ///   or the error of the failed commit.
    func submit(_ item: Item) async throws(StoreError) -> Output {
        let deadline = waitLimit.map { ContinuousClock.now.advanced(by: $0) }
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Output, StoreError>, Never>) in
            let outcome = state.withLockedValue { state -> Result<CheckedContinuation<Void, Never>?, StoreError> in
                if state.isClosed {
                    return .failure(.storeUnavailable(detail: "store is closed"))
                }
                if state.queue.count >= queueCapacity {
                    return .failure(.storeOverloaded(detail: "\(queueCapacity) appends waiting"))
                }
                state.queue.append(Waiter(item: item, continuation: continuation, deadline: deadline))
                defer { state.writerWakeup = nil }
                return .success(state.writerWakeup)
            }
            switch outcome {
            case .success(let writerWakeup): writerWakeup?.resume()
            case .failure(let error): continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// Commits batches until ``close()`` was called and the queue is empty (and, with a wait limit,
    /// answers the submitters whose limit passed). Run it in one task.
    func run() async {
        await withDiscardingTaskGroup { group in
            if let waitLimit {
                group.addTask { await self.answerExpiredWaiters(every: waitLimit) }
            }
            await commitBatches()
            group.cancelAll()
        }
    }

    private func commitBatches() async {
        while let batch = await nextBatch() {
            let outputs: Result<[Output], StoreError>
            do {
                let written = try await commit(batch.map(\.item))
                precondition(written.count == batch.count, "commit must return one output per item")
                outputs = .success(written)
            } catch {
                outputs = .failure(error)
            }
            let expired = state.withLockedValue { state in
                defer {
                    state.committing = []
                    state.committingExpired = 0
                }
                return state.committingExpired
            }
            for (index, waiter) in batch.enumerated().dropFirst(expired) {
                waiter.continuation.resume(returning: outputs.map { $0[index] })
            }
            // Let the submitters just resumed queue their next items first, so the next batch is fuller.
            await Task.yield()
        }
    }

    /// Answers `storeUnavailable` to every submitter whose deadline passed, committing or queued (a queued
    /// one leaves the queue), until cancelled. Deadlines come in submission order, so the waiters to answer
    /// are a prefix of the batch being committed and then of the queue; the next check is at the oldest
    /// remaining deadline, or one limit from now when nobody waits (no later submission is due sooner).
    private func answerExpiredWaiters(every waitLimit: Duration) async {
        let expiry = StoreError.storeUnavailable(detail: "no commit within \(waitLimit)")
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let (expired, nextDeadline) = state.withLockedValue { state -> ([Waiter], ContinuousClock.Instant?) in
                var expired: [Waiter] = []
                while state.committingExpired < state.committing.count,
                    let deadline = state.committing[state.committingExpired].deadline, deadline <= now
                {
                    expired.append(state.committing[state.committingExpired])
                    state.committingExpired += 1
                }
                let queued = state.queue.prefix { waiter in waiter.deadline.map { $0 <= now } ?? false }.count
                expired += state.queue.prefix(queued)
                state.queue.removeFirst(queued)
                let next =
                    state.committingExpired < state.committing.count
                    ? state.committing[state.committingExpired].deadline : state.queue.first?.deadline
                return (expired, next)
            }
            for waiter in expired { waiter.continuation.resume(returning: .failure(expiry)) }
            try? await Task.sleep(until: nextDeadline ?? now.advanced(by: waitLimit), clock: .continuous)
        }
    }

    /// Refuses new submissions; ``run()`` returns once the queued ones are committed.
    func close() {
        let writerWakeup = state.withLockedValue { state in
            state.isClosed = true
            defer { state.writerWakeup = nil }
            return state.writerWakeup
        }
        writerWakeup?.resume()
    }

    /// The next batch, waiting for one if the queue is empty; nil once closed and drained.
    private func nextBatch() async -> [Waiter]? {
        while true {
            let batch = state.withLockedValue { state -> [Waiter]? in
                guard !state.queue.isEmpty else { return nil }
                if state.queue.count <= maxBatchSize {
                    state.committing = state.queue
                    state.queue = []
                } else {
                    state.committing = Array(state.queue.prefix(maxBatchSize))
                    state.queue.removeFirst(maxBatchSize)
                }
                return state.committing
            }
            if let batch { return batch }
            if state.withLockedValue({ $0.isClosed }) { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let mustWait = state.withLockedValue { state in
                    guard state.queue.isEmpty && !state.isClosed else { return false }
                    state.writerWakeup = continuation
                    return true
                }
                if !mustWait { continuation.resume() }
            }
        }
    }
}
