import Foundation
import HookgateTestSupport
import Testing

/// The `onItsOwnThread` trait that the process-level suites use: a test that blocks its thread leaves the
/// cooperative pool to the other tests. (Without the trait, on a 2-core machine, two of these cases block the
/// pool's two threads and the detached task waits the whole 10 s.)
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct OnItsOwnThreadTests {
    /// Test cases blocking at once, as many as the pool has threads (the trait lets as many run as there are
    /// cores), still leave the pool free to run a detached task in the meantime.
    @Test(arguments: 0..<3) func blockingLeavesThePoolFree(_ index: Int) {
        let ran = NSCondition()
        nonisolated(unsafe) var done = false
        Task.detached { Self.mark(&done, under: ran) }
        ran.lock()
        let deadline = Date().addingTimeInterval(10)
        while !done, ran.wait(until: deadline) {}
        let finished = done
        ran.unlock()
        #expect(finished, "case \(index): the detached task did not run while the test blocked")
    }

    private static func mark(_ flag: inout Bool, under condition: NSCondition) {
        condition.lock()
        flag = true
        condition.signal()
        condition.unlock()
    }
}
