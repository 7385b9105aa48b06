import Foundation
import Synchronization
public import Testing

/// Runs each test (each case of a parameterized test) on a thread of its own instead of the cooperative pool.
///
/// The process-level tests wait for child processes, their output and their exit by blocking: a poll loop
/// with `usleep`, `waitpid`, `readDataToEndOfFile`. Swift Testing calls a test function from the cooperative
/// thread pool, which on this 2-core machine has two threads; two such tests blocking at once stalled every
/// other test of the process — the in-process gateways, their timers' answers, the reporting — for 11 s in CI
/// (and a header timeout test measured the stall). On a thread of its own, a test blocks only itself.
public struct OnItsOwnThread: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        await Self.slots.acquire()
        defer { Self.slots.release() }
        let executor = DedicatedThreadExecutor(name: test.name)
        defer { executor.stop() }
        try await withTaskExecutorPreference(executor) {
            try await function()
        }
    }

    /// As many of these tests run at once as the machine has cores: off the pool, nothing else bounds them, and
    /// fifty `hookgate serve` children starting together on two cores made in-process tests' 2 s timeouts fire.
    private static let slots = TestSlots(count: ProcessInfo.processInfo.activeProcessorCount)
}

/// A counting semaphore that tests wait on without blocking a thread.
final class TestSlots: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(count: Int) {
        self.state = Mutex(State(free: max(1, count)))
    }

    /// Takes a slot, waiting for one if none is free.
    func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = self.state.withLock { state -> Bool in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    /// Gives a slot back, to the longest waiter if there is one.
    func release() {
        let next = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

extension Trait where Self == OnItsOwnThread {
    /// Each test runs on a thread of its own, so that it may block (see ``OnItsOwnThread``).
    public static var onItsOwnThread: Self { OnItsOwnThread() }
}

/// A task executor that runs its jobs in order on one thread it owns.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init(name: String) {
        let thread = Thread { [self] in self.runJobs() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.condition.lock()
        defer { self.condition.unlock() }
        if self.stopped {
            // A job that comes after the test (none should) still runs, on a thread of its own.
            let executor = self.asUnownedTaskExecutor()
            Thread { job.runSynchronously(on: executor) }.start()
            return
        }
        self.jobs.append(job)
        self.condition.signal()
    }

    /// Ends the thread once the jobs already queued have run.
    func stop() {
        self.condition.lock()
        self.stopped = true
        self.condition.signal()
        self.condition.unlock()
    }

    private func runJobs() {
        while true {
            self.condition.lock()
            while self.jobs.isEmpty && !self.stopped { self.condition.wait() }
            guard !self.jobs.isEmpty else {
                self.condition.unlock()
                return
            }
            let job = self.jobs.removeFirst()
            self.condition.unlock()
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
