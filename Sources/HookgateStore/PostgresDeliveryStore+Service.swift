import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

extension PostgresDeliveryStore {
    /// Runs the connection pool, commits appends (deliveries and commands) and completions and purges expired deliveries until a graceful
    /// shutdown, a cancellation or ``close()``; then commits what was accepted, stops the purge and closes the
    /// pool's connections.
    ///
    /// The pool outlives the committers: a graceful shutdown first drains them, then ends the pool. (The pool
    /// would end itself at the first sign of a graceful shutdown, before the drain, so it runs without the
    /// service group's shutdown signal; cancelling ``run()`` still ends it at once.)
    public func run() async throws {
        guard lifecycle.start() else { return }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { database in
                    let client = self.pool.client
                    database.addTask { await Self.runOutsideGracefulShutdown(client) }
                    self.listenToOtherReplicas(in: &database)
                    await withDiscardingTaskGroup { housekeeping in
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
                    database.cancelAll()
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
            // Nothing runs the pool or the committers: run them here for what was queued before the close.
            await withDiscardingTaskGroup { database in
                let client = self.pool.client
                database.addTask { await Self.runOutsideGracefulShutdown(client) }
                await committer.run()
                await completionCommitter.run()
                await commandCommitter.run()
                database.cancelAll()
            }
            workSignal.finish()
            commandSignal.finish()
        } else {
            await lifecycle.waitUntilFinished()
        }
    }

    /// Adds the cross-replica wake-ups (``PostgresWorkNotifications``) to the tasks that run with the pool.
    private func listenToOtherReplicas(in group: inout DiscardingTaskGroup) {
        let notifications = self.notifications
        let pool = self.pool
        let logger = self.logger
        let workSignal = self.workSignal
        group.addTask { await notifications.sendRequested(through: pool, logger: logger) }
        guard let configuration = try? self.configuration.connectionURL().connectionConfiguration(readOnly: false)
        else { return }
        group.addTask { await notifications.listen(configuration, logger: logger) { workSignal.notify() } }
    }

    /// Runs the pool until the calling task is cancelled, deaf to the service group's graceful shutdown: in a
    /// detached task, which inherits no task-local (the group's shutdown signal is one).
    private static func runOutsideGracefulShutdown(_ client: PostgresClient) async {
        let pool = Task.detached { await client.run() }
        await withTaskCancellationHandler {
            await pool.value
        } onCancel: {
            pool.cancel()
        }
    }

    private func refuseNewWrites() {
        committer.close()
        completionCommitter.close()
        commandCommitter.close()
    }
}
