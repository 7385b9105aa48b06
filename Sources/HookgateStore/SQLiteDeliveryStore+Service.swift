import Foundation
import Logging
import ServiceLifecycle

extension SQLiteDeliveryStore {
    /// Commits appends (deliveries and commands) and completions, checkpoints the WAL and purges expired deliveries until a graceful
    /// shutdown, a cancellation or ``close()``; then commits what was accepted and stops the housekeeping.
    public func run() async throws {
        guard lifecycle.start() else { return }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { housekeeping in
                    housekeeping.addTask { await self.checkpointer.run() }
                    housekeeping.addTask {
                        await self.purgePeriodically(self.configuration.retention, logger: self.logger)
                    }
                    await withDiscardingTaskGroup { commits in
                        commits.addTask { await self.committer.run() }
                        commits.addTask { await self.completionCommitter.run() }
                        commits.addTask { await self.commandCommitter.run() }
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
        commandSignal.finish()
        lifecycle.finish()
    }

    public func close() async {
        refuseNewWrites()
        if lifecycle.closeIfNeverStarted() {
            // Nothing runs the committers: commit here what was queued before the close.
            await committer.run()
            await completionCommitter.run()
            await commandCommitter.run()
            workSignal.finish()
            commandSignal.finish()
        } else {
            await lifecycle.waitUntilFinished()
        }
    }

    private func refuseNewWrites() {
        committer.close()
        completionCommitter.close()
        commandCommitter.close()
    }
}
