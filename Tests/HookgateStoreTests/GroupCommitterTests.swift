import NIOConcurrencyHelpers
import Testing

@testable import HookgateStore

@Suite(.timeLimit(.minutes(1)))
struct GroupCommitterTests {
    /// A commit function that records its batches, holds any batch containing `held` until released,
    /// and fails any batch containing 13.
    final class Recorder: Sendable {
        let batches = NIOLockedValueBox<[[Int]]>([])
        let held: Int
        private let release: AsyncStream<Void>
        private let releaser: AsyncStream<Void>.Continuation

        init(holding held: Int) {
            self.held = held
            (release, releaser) = AsyncStream<Void>.makeStream()
        }

        func commit(_ items: [Int]) async throws(StoreError) -> [Int] {
            batches.withLockedValue { $0.append(items) }
            if items.contains(held) {
                for await _ in release { break }
            }
            if items.contains(13) { throw .storeUnavailable(detail: "test failure") }
            return items.map { $0 * 10 }
        }

        func releaseHeldBatch() { releaser.yield() }

        /// Waits until `count` batches reached the commit function.
        func waitForBatches(_ count: Int) async throws {
            while batches.withLockedValue({ $0.count }) < count { try await Task.sleep(for: .milliseconds(1)) }
        }
    }

    private func outcome(of committer: GroupCommitter<Int, Int>, _ item: Int) async -> Result<Int, StoreError> {
        do throws(StoreError) {
            return .success(try await committer.submit(item))
        } catch {
            return .failure(error)
        }
    }

    private func waitForQueueDepth(_ committer: GroupCommitter<Int, Int>, _ depth: Int) async throws {
        while committer.queueDepth < depth { try await Task.sleep(for: .milliseconds(1)) }
    }

    /// While one batch commits, submissions queue up to the capacity; one more fails at once with
    /// storeOverloaded. Released, the queue drains in batches of at most maxBatchSize, in order.
    @Test func fullQueueFailsFastAndDrainsInBoundedBatches() async throws {
        let recorder = Recorder(holding: 0)
        let committer = GroupCommitter<Int, Int>(maxBatchSize: 2, queueCapacity: 3, commit: recorder.commit)
        let runner = Task { await committer.run() }
        async let first = committer.submit(0)
        try await recorder.waitForBatches(1)
        async let a = committer.submit(1)
        try await waitForQueueDepth(committer, 1)
        async let b = committer.submit(2)
        try await waitForQueueDepth(committer, 2)
        async let c = committer.submit(3)
        try await waitForQueueDepth(committer, 3)

        let overloaded = await #expect(throws: StoreError.self) { try await committer.submit(4) }
        #expect(overloaded?.code == .storeOverloaded)

        recorder.releaseHeldBatch()
        let outputs = try await [first, a, b, c]
        #expect(outputs == [0, 10, 20, 30])
        #expect(recorder.batches.withLockedValue { $0 } == [[0], [1, 2], [3]])
        committer.close()
        await runner.value
    }

    /// A failed commit fails every submission of its batch with the commit's error, and the
    /// next batch is committed normally: nothing hangs, nothing is reported stored.
    @Test func failedCommitFailsItsWholeBatchOnly() async throws {
        let recorder = Recorder(holding: 0)
        let committer = GroupCommitter<Int, Int>(maxBatchSize: 8, queueCapacity: 8, commit: recorder.commit)
        let runner = Task { await committer.run() }
        async let first = committer.submit(0)
        try await recorder.waitForBatches(1)
        async let failing = outcome(of: committer, 13)
        try await waitForQueueDepth(committer, 1)
        async let sameBatch = outcome(of: committer, 12)
        try await waitForQueueDepth(committer, 2)
        recorder.releaseHeldBatch()

        #expect(try await first == 0)
        let failures = await [failing, sameBatch]
        for result in failures {
            #expect(throws: StoreError.self) { try result.get() }
        }
        #expect(try await committer.submit(7) == 70)
        committer.close()
        await runner.value
    }

    /// With a wait limit, a commit that does not end answers its own submitter and those queued behind it
    /// storeUnavailable once the limit passed, while it still hangs; the queued ones never reach the commit
    /// function. When it ends, its output goes to nobody, and the next batch commits normally.
    @Test func waitLimitAnswersSubmittersOfAHangingCommit() async throws {
        let recorder = Recorder(holding: 0)
        let committer = GroupCommitter<Int, Int>(
            maxBatchSize: 1,
            queueCapacity: 8,
            waitLimit: .seconds(1),
            commit: recorder.commit
        )
        let runner = Task { await committer.run() }
        // The writer runs before the held item is submitted: otherwise, on a busy machine, its limit could pass
        // while it is still queued, and it would be answered without ever reaching the commit.
        #expect(try await committer.submit(5) == 50)
        async let committing = outcome(of: committer, 0)
        try await recorder.waitForBatches(2)
        // Queued behind the hanging batch (one item per batch). Not waited for as a queue depth: its limit may
        // pass, and take it out of the queue, before a busy machine runs this task again.
        async let queued = outcome(of: committer, 1)

        for result in await [committing, queued] {
            let error = #expect(throws: StoreError.self) { try result.get() }
            #expect(error?.code == .storeUnavailable)
        }
        #expect(committer.queueDepth == 0)
        #expect(
            recorder.batches.withLockedValue { $0 } == [[5], [0]],
            "the queued submission was committed after its answer"
        )

        recorder.releaseHeldBatch()
        #expect(try await committer.submit(7) == 70)
        #expect(recorder.batches.withLockedValue { $0 } == [[5], [0], [7]])
        committer.close()
        await runner.value
    }

    /// close() refuses new submissions with storeUnavailable but commits those already queued.
    @Test func closeCommitsQueuedSubmissionsThenRefuses() async throws {
        let recorder = Recorder(holding: 0)
        let committer = GroupCommitter<Int, Int>(maxBatchSize: 4, queueCapacity: 4, commit: recorder.commit)
        let runner = Task { await committer.run() }
        async let first = committer.submit(0)
        try await recorder.waitForBatches(1)
        async let queued = committer.submit(5)
        try await waitForQueueDepth(committer, 1)
        committer.close()

        let refused = await #expect(throws: StoreError.self) { try await committer.submit(6) }
        #expect(refused?.code == .storeUnavailable)
        recorder.releaseHeldBatch()
        #expect(try await [first, queued] == [0, 50])
        await runner.value
    }

    /// Many concurrent submissions share commits: fewer batches than submissions, each output
    /// going to its own submitter.
    @Test func concurrentSubmissionsShareCommits() async throws {
        let recorder = Recorder(holding: 0)
        let committer = GroupCommitter<Int, Int>(maxBatchSize: 64, queueCapacity: 256, commit: recorder.commit)
        let runner = Task { await committer.run() }
        async let first = committer.submit(0)
        try await recorder.waitForBatches(1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1000..<1100 {
                group.addTask {
                    let output = try await committer.submit(n)
                    #expect(output == n * 10)
                }
            }
            try await waitForQueueDepth(committer, 100)
            recorder.releaseHeldBatch()
            try await group.waitForAll()
        }
        #expect(try await first == 0)
        #expect(recorder.batches.withLockedValue { $0.count } == 3)  // [0], then 64 + 36
        committer.close()
        await runner.value
    }
}
