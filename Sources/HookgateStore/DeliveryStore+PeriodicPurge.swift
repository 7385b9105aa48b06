import Foundation
import Logging

extension DeliveryStore {
    /// Purges at once, then every ``RetentionPolicy/purgeInterval`` of `retention`, until cancelled; never
    /// without an interval. A backend's ``run()`` runs it beside its committers.
    func purgePeriodically(_ retention: RetentionPolicy, logger: Logger) async {
        guard let interval = retention.purgeInterval else { return }
        while !Task.isCancelled {
            do {
                let purged = try await purgeExpired(now: Date())
                if purged > 0 { logger.info("retention purge", metadata: ["hookgate.purged": "\(purged)"]) }
            } catch {
                logger.error("retention purge failed", metadata: ["error.type": "\(error.code)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
