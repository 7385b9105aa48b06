import Synchronization

/// Batches concurrent submissions into one commit: while one batch is being written, new
/// submissions queue up, and the next batch takes them all (up to a bound) in one transaction.
///
/// Each submitter resumes only after the batch holding its item was committed or failed. The
/// queue is bounded: a submission to a full queue fails at once with `storeOverloaded`.
/// Knows nothing about databases: the commit function is given.
final class GroupCommitter<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch in one transaction and returns one output per item, in order.
    typealias Commit = @Sendable ([Item]) async throws(StoreError) -> [Output]

    private struct Waiter {
        var item: Item
        var continuation: CheckedContinuation<Result<Output, StoreError>, Never>
    }

    private struct State {
        var queue: [Waiter] = []
        var writerWakeup: CheckedContinuation<Void, Never>?
        var isClosed = false
    }

    private let maxBatchSize: Int
    private let queueCapacity: Int
    private let commit: Commit
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maxBatchSize: The most items in one commit (1 gives one transaction per item).
    ///   - queueCapacity: The most items waiting for a batch (the batch being committed not included).
    ///   - commit: Writes one batch.
    init(maxBatchSize: Int, queueCapacity: Int, commit: @escaping Commit) {
        precondition(maxBatchSize > 0 && queueCapacity >= maxBatchSize)
        self.maxBatchSize = maxBatchSize
        self.queueCapacity = queueCapacity
        self.commit = commit
    }

    /// How many submissions wait for a batch (not counting the batch being committed).
    var queueDepth: Int {
        state.withLock { $0.queue.count }
    }

    /// Queues the item and waits until its batch is committed.
    /// - Throws: `storeOverloaded` when the queue is full, `storeUnavailable` when closed,
    ///   or the error of the failed commit.
    func submit(_ item: Item) async throws(StoreError) -> Output {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Output, StoreError>, Never>) in
            let outcome = state.withLock { state -> Result<CheckedContinuation<Void, Never>?, StoreError> in
                if state.isClosed {
                    return .failure(.storeUnavailable(detail: "store is closed"))
                }
                if state.queue.count >= queueCapacity {
                    return .failure(.storeOverloaded(detail: "\(queueCapacity) appends waiting"))
                }
                state.queue.append(Waiter(item: item, continuation: continuation))
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

    /// Commits batches until ``close()`` was called and the queue is empty. Run it in one task.
    func run() async {
        while let batch = await nextBatch() {
            let outputs: Result<[Output], StoreError>
            do {
                let written = try await commit(batch.map(\.item))
                precondition(written.count == batch.count, "commit must return one output per item")
                outputs = .success(written)
            } catch {
                outputs = .failure(error)
            }
            for (index, waiter) in batch.enumerated() {
                waiter.continuation.resume(returning: outputs.map { $0[index] })
            }
            // Let the submitters just resumed queue their next items first, so the next batch is fuller.
            await Task.yield()
        }
    }

    /// Refuses new submissions; ``run()`` returns once the queued ones are committed.
    func close() {
        let writerWakeup = state.withLock { state in
            state.isClosed = true
            defer { state.writerWakeup = nil }
            return state.writerWakeup
        }
        writerWakeup?.resume()
    }

    /// The next batch, waiting for one if the queue is empty; nil once closed and drained.
    private func nextBatch() async -> [Waiter]? {
        while true {
            let batch = state.withLock { state -> [Waiter]? in
                guard !state.queue.isEmpty else { return nil }
                if state.queue.count <= maxBatchSize {
                    defer { state.queue = [] }
                    return state.queue
                }
                defer { state.queue.removeFirst(maxBatchSize) }
                return Array(state.queue.prefix(maxBatchSize))
            }
            if let batch { return batch }
            if state.withLock({ $0.isClosed }) { return nil }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let mustWait = state.withLock { state in
                    guard state.queue.isEmpty && !state.isClosed else { return false }
                    state.writerWakeup = continuation
                    return true
                }
                if !mustWait { continuation.resume() }
            }
        }
    }
}
