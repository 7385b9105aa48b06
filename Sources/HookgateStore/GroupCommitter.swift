import Foundation
import Synchronization

/// Batches concurrent submissions into one commit: while one batch is being written, new
/// submissions queue up, and the next batch takes them all (up to a bound) in one transaction.
///
/// Each submitter resumes only after the batch holding its item was committed or failed. The
/// queue is bounded: a submission to a full queue fails at once with `storeOverloaded`.
/// Knows nothing about databases: the commit function is given.
///
/// The batches are written on a thread of the committer's own, which calls the commit function
/// synchronously: a commit is a chain of steps that each wait for the last (write, fsync, answer the
/// submitters, take the next batch), and hopping between executors at each step would lengthen it.
final class GroupCommitter<Item: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch in one transaction and returns one output per item, in order. Called on the
    /// committer's thread; it may block.
    typealias Commit = @Sendable ([Item]) throws(StoreError) -> [Output]

    /// How long the writer waits, after a commit, for the submitters it just answered to queue their
    /// next items before it takes a smaller batch. Short: it only bridges their turnaround.
    static var lingerLimit: DispatchTimeInterval { .microseconds(300) }

    private struct Waiter {
        var item: Item
        var continuation: CheckedContinuation<Result<Output, StoreError>, Never>
    }

    private struct State {
        var queue: [Waiter] = []
        /// The writer waits on `wakeup` and must be signalled once.
        var writerSleeps = false
        var isClosed = false
        var isFinished = false
        var finishWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let label: String
    private let maxBatchSize: Int
    private let queueCapacity: Int
    private let commit: Commit
    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - label: Names the writer thread.
    ///   - maxBatchSize: The most items in one commit (1 gives one transaction per item).
    ///   - queueCapacity: The most items waiting for a batch (the batch being committed not included).
    ///   - commit: Writes one batch.
    init(label: String, maxBatchSize: Int, queueCapacity: Int, commit: @escaping Commit) {
        precondition(maxBatchSize > 0 && queueCapacity >= maxBatchSize)
        self.label = label
        self.maxBatchSize = maxBatchSize
        self.queueCapacity = queueCapacity
        self.commit = commit
    }

    /// How many submissions wait for a batch (not counting the batch being committed).
    var queueDepth: Int {
        state.withLock { $0.queue.count }
    }

    /// Starts the writer thread. Call it once.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = label
        thread.start()
    }

    /// Queues the item and waits until its batch is committed.
    /// - Throws: `storeOverloaded` when the queue is full, `storeUnavailable` when closed,
    ///   or the error of the failed commit.
    func submit(_ item: Item) async throws(StoreError) -> Output {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Output, StoreError>, Never>) in
            let outcome = state.withLock { state -> Result<Bool, StoreError> in
                if state.isClosed {
                    return .failure(.storeUnavailable(detail: "store is closed"))
                }
                if state.queue.count >= queueCapacity {
                    return .failure(.storeOverloaded(detail: "\(queueCapacity) appends waiting"))
                }
                state.queue.append(Waiter(item: item, continuation: continuation))
                defer { state.writerSleeps = false }
                return .success(state.writerSleeps)
            }
            switch outcome {
            case .success(let writerSleeps): if writerSleeps { wakeup.signal() }
            case .failure(let error): continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// Refuses new submissions; the writer thread ends once the queued ones are committed.
    func close() {
        let writerSleeps = state.withLock { state in
            state.isClosed = true
            defer { state.writerSleeps = false }
            return state.writerSleeps
        }
        if writerSleeps { wakeup.signal() }
    }

    /// Returns once the writer thread has ended (after ``close()``), or at once if it never started.
    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = state.withLock { state in
                if !state.isFinished { state.finishWaiters.append(continuation) }
                return state.isFinished
            }
            if finished { continuation.resume() }
        }
    }

    /// The writer thread: commits batches until closed and drained.
    private func run() {
        var lastBatchSize = 0
        while let batch = nextBatch(expecting: lastBatchSize) {
            let outputs: Result<[Output], StoreError>
            do {
                let written = try commit(batch.map(\.item))
                precondition(written.count == batch.count, "commit must return one output per item")
                outputs = .success(written)
            } catch {
                outputs = .failure(error)
            }
            for (index, waiter) in batch.enumerated() {
                waiter.continuation.resume(returning: outputs.map { $0[index] })
            }
            lastBatchSize = batch.count
        }
        let finishWaiters = state.withLock { state in
            state.isFinished = true
            defer { state.finishWaiters = [] }
            return state.finishWaiters
        }
        for waiter in finishWaiters { waiter.resume() }
    }

    /// The next batch: waits for a first item, then up to ``lingerLimit`` until `expecting` items
    /// (the size of the last batch, whose submitters may be about to come back) are queued; nil once
    /// closed and drained.
    private func nextBatch(expecting: Int) -> [Waiter]? {
        let lingerUntil = DispatchTime.now() + Self.lingerLimit
        while true {
            let (batch, isClosed) = state.withLock { state -> ([Waiter]?, Bool) in
                let wanted = min(max(expecting, 1), maxBatchSize)
                let lingerOver = state.isClosed || DispatchTime.now() >= lingerUntil
                guard !state.queue.isEmpty, state.queue.count >= wanted || lingerOver else {
                    state.writerSleeps = true
                    return (nil, state.isClosed)
                }
                if state.queue.count <= maxBatchSize {
                    defer { state.queue = [] }
                    return (state.queue, false)
                }
                defer { state.queue.removeFirst(maxBatchSize) }
                return (Array(state.queue.prefix(maxBatchSize)), false)
            }
            if let batch { return batch }
            if isClosed && queueDepth == 0 { return nil }
            sleep(until: queueDepth == 0 ? nil : lingerUntil)
        }
    }

    /// Waits for a submitter's signal, or until `deadline`; leaves no signal pending.
    private func sleep(until deadline: DispatchTime?) {
        guard let deadline else { return wakeup.wait() }
        if wakeup.wait(timeout: deadline) == .success { return }
        // Timed out: unless a submitter took the writer's sleep (and so signals), nothing is pending.
        let signalPending = state.withLock { state in
            defer { state.writerSleeps = false }
            return !state.writerSleeps
        }
        if signalPending { wakeup.wait() }
    }
}
