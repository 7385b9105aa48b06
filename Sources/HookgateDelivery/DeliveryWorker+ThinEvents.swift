import Foundation
import HookgateCore
import HookgateStore
import Logging
import NIOConcurrencyHelpers

extension DeliveryWorker {
    /// How many thin events' objects one page fetches at once.
    static let thinEventFetchWidth = 8

    /// The preparations of `page`, in its order; `nil` for a delivery that must wait. Thin events whose type
    /// maps to a catalog event have their objects fetched, up to ``thinEventFetchWidth`` at once; every other
    /// delivery is prepared by `preparer` alone. `beforeEach` is awaited before each delivery is prepared.
    func preparations(
        of page: [DeliveryRecord],
        by preparer: DeliveryPreparer,
        beforeEach: @Sendable (DeliveryRecord) async -> Void
    ) async -> [DeliveryPreparation?] {
        var preparations = [DeliveryPreparation?](repeating: nil, count: page.count)
        let api = self.stripeAPIClient.withLockedValue { $0 }
        await withTaskGroup(of: (Int, DeliveryPreparation?).self) { fetches in
            var running = 0
            for (index, record) in page.enumerated() {
                await beforeEach(record)
                guard let api, let thin = preparer.thinEventToFetch(record) else {
                    preparations[index] = preparer.prepare(record)
                    continue
                }
                if running == Self.thinEventFetchWidth, let (done, preparation) = await fetches.next() {
                    preparations[done] = preparation
                    running -= 1
                }
                fetches.addTask { (index, await self.preparation(of: record, thin: thin, api: api, by: preparer)) }
                running += 1
            }
            for await (done, preparation) in fetches { preparations[done] = preparation }
        }
        return preparations
    }

    /// The preparation of `record`, a thin event, from its fetched object; `nil` when it must wait. An object the
    /// API could not give now (a network failure, a timeout, 429, 5xx) is asked again after a backoff, until the
    /// retry policy gives up; a failure no retry cures (404, 401) makes the delivery dead with the status and
    /// Stripe's message, never the key.
    private func preparation(
        of record: DeliveryRecord,
        thin: ThinEvent,
        api: StripeAPIClient,
        by preparer: DeliveryPreparer
    ) async -> DeliveryPreparation? {
        guard !self.deferrals.holds(record.id, now: Date()) else { return nil }
        do {
            let object = try await api.get(
                thin.relatedObjectPath,
                query: thin.relatedObjectQuery,
                account: thin.account,
                logger: self.logger
            )
            self.deferrals.clear(record.id, answered: true)
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
            self.deferrals.clear(record.id, answered: true)
            return .reject(error: "cannot fetch the thin event's object: \(error)")
        }
    }
}
