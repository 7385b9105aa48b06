import Foundation
import NIOConcurrencyHelpers
public import Testing

/// Runs each test (each case of a parameterized test) on a thread of its own instead of the cooperative pool,
/// and at most a few such suites at once.
///
/// The process-level tests wait for child processes, their output and their exit by blocking: a poll loop
/// with `usleep`, `waitpid`, `readDataToEndOfFile`. Swift Testing calls a test function from the cooperative
/// thread pool, which on this 2-core machine has two threads; two such tests blocking at once stalled every
/// other test of the process — the in-process gateways, their timers' answers, the reporting — for 11 s in CI
/// (and a header timeout test measured the stall). On a thread of its own, a test blocks only itself.
///
/// Off the pool, nothing else bounds how many run at once, and fifty `hookgate serve` children starting
/// together on two cores made in-process tests' 2 s timeouts fire. So a suite with this trait waits for one
/// of ``suitesAtOnce`` places before its tests start. (The wait is the suite's, outside its tests' time
/// limits: waiting in each test counted against them.)
public struct OnItsOwnThread: SuiteTrait, TestTrait, TestScoping {
    /// How many suites with this trait run at once: one more than the machine has cores.
    public static let suitesAtOnce = ProcessInfo.processInfo.activeProcessorCount + 1

    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        test.isSuite || testCase != nil ? self : nil
    }

    public func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        if testCase == nil {
            // The suite: its place among the suites that run at once.
            await Self.places.acquire()
            defer { Self.places.release() }
            try await function()
            return
        }
        let executor = DedicatedThreadExecutor(name: test.name)
        defer { executor.stop() }
        try await withTaskExecutorPreference(executor) {
            try await function()
        }
    }

    private static let places = TestSlots(count: suitesAtOnce)
}

extension Trait where Self == OnItsOwnThread {
    /// Each test runs on a thread of its own, so that it may block (see ``OnItsOwnThread``).
    public static var onItsOwnThread: Self { OnItsOwnThread() }
}

/// A counting semaphore that tests wait on without blocking a thread.
final class TestSlots: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: NIOLockedValueBox<State>

    init(count: Int) {
        self.state = NIOLockedValueBox(State(free: max(1, count)))
    }

    /// Takes a slot, waiting for one if none is free.
    func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = self.state.withLockedValue { state -> Bool in
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
        let next = self.state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
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
