import Foundation
import HookgateStore
import Logging
import ServiceLifecycle

/// Purges finished deliveries older than the retention window: once at start-up, then every `interval`.
/// The store purges in small transactions, so appends are never held up for long.
struct RetentionService: Service {
    let store: any DeliveryStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled {
            do {
                let purged = try await self.store.purgeExpired(now: Date())
                if purged > 0 { self.logger.info("retention purge", metadata: ["hookgate.purged": "\(purged)"]) }
            } catch {
                self.logger.error("retention purge failed", metadata: ["error.type": "\(error.code)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            if Task.isShuttingDownGracefully { return }
        }
    }
}
