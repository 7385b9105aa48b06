import Foundation
import HookgateCore
import HookgateStore
import Logging
import NIOConcurrencyHelpers

extension DeliveryWorker {
    /// The preparation of `record`, or `nil` when it must wait: a thin event whose object the API could not
    /// give now (a network failure, a timeout, 429, 5xx) is tried again after a backoff, until the retry
    /// policy gives up; a failure no retry cures (404, 401) makes it dead with the status and Stripe's
    /// message, never the key. Without an API client, or for other deliveries, ``DeliveryPreparer`` alone.
    func preparation(of record: DeliveryRecord, by preparer: DeliveryPreparer) async -> DeliveryPreparation? {
        guard let api = self.stripeAPIClient.withLockedValue({ $0 }), let thin = preparer.thinEventToFetch(record)
        else { return preparer.prepare(record) }
        let now = Date()
        guard !self.deferrals.isWaiting(record.id, now: now) else { return nil }
        do {
            let object = try await api.get(
                thin.relatedObjectPath,
                query: thin.relatedObjectQuery,
                account: thin.account,
                logger: self.logger
            )
            self.deferrals.clear(record.id)
            return preparer.prepare(record, snapshot: thin.snapshot(of: object))
        } catch  where error.isRetryable {
            let metadata: Logger.Metadata = ["delivery": "\(record.id.rawValue)", "error": "\(error)"]
            guard
                let retryAt = self.deferrals.deferral(
                    of: record.id,
                    receivedAt: record.received.receivedAt,
                    after: error,
                    now: Date()
                )
            else {
                self.logger.warning("thin event's object not fetched: giving up", metadata: metadata)
                return .reject(error: "gave up fetching the thin event's object: \(error)")
            }
            self.logger.info(
                "thin event's object not fetched: trying again",
                metadata: metadata.merging(["at": "\(retryAt)"]) { $1 }
            )
            return nil
        } catch {
            self.deferrals.clear(record.id)
            return .reject(error: "cannot fetch the thin event's object: \(error)")
        }
    }
}
