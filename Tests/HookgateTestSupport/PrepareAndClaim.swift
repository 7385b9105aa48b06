public import Foundation
public import HookgateStore

extension DeliveryStore {
    /// Prepares every unprepared delivery with `preparing`, as the delivery worker does (outside any store
    /// transaction), then claims: for tests that drive a store without a worker.
    public func prepareAndClaim(
        now: Date,
        leaseDuration: Duration,
        limit: Int,
        preparing: (DeliveryRecord) -> DeliveryPreparation = { _ in .forward(.raw) }
    ) async throws(StoreError) -> [DeliveryLease] {
        while true {
            let page = try await unprepared(limit: 256)
            try await applyPreparations(
                page.map { PreparedDelivery(id: $0.id, preparation: preparing($0)) },
                now: now
            )
            if page.count < 256 { break }
        }
        return try await claimDue(now: now, leaseDuration: leaseDuration, limit: limit)
    }
}
