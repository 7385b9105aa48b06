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
        let ran = Flag()
        Task.detached { ran.set() }
        #expect(ran.wait(seconds: 10), "case \(index): the detached task did not run while the test blocked")
    }

    /// A flag set once, waited for under its condition (read and written only while it is locked).
    private final class Flag: @unchecked Sendable {
        private let condition = NSCondition()
        private var isSet = false

        func set() {
            condition.lock()
            isSet = true
            condition.signal()
            condition.unlock()
        }

        /// Whether the flag was set within `seconds`.
        func wait(seconds: TimeInterval) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date().addingTimeInterval(seconds)
            while !isSet, condition.wait(until: deadline) {}
            return isSet
        }
    }
}
