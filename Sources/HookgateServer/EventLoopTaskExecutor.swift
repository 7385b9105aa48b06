import NIOCore

/// Runs tasks' jobs on one event loop: a connection's task with this executor preference resumes there
/// when a verified request arrives and when the store has appended it, so the answer is written without a
/// hop through Swift's global pool and back. (This swift-nio has no task executor of its own for an event
/// loop.)
///
/// Only non-isolated async code runs here; the store's own work runs on its own threads, never on the loop.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    /// An executor running jobs on `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
