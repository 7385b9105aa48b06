import Foundation
import HookgateCore
import HookgateStore
import NIOConcurrencyHelpers

/// The deliveries whose preparation waits for Stripe's API after a failure that a retry may cure, and when
/// each may be tried again: the upstream retry policy's backoff (or Stripe's `Retry-After`, when longer) and
/// its limits. Kept in memory: a restart tries them again at once. The store is not told; they stay
/// unprepared meanwhile.
final class PreparationDeferrals: Sendable {
    private struct Entry {
        var failures: Int
        var retryAt: Date
    }

    private let policy: UpstreamRetryPolicy
    private let entries = NIOLockedValueBox<[DeliveryID: Entry]>([:])

    init(policy: UpstreamRetryPolicy) {
        self.policy = policy
    }

    /// How many deliveries are remembered as deferred: a page of unprepared deliveries reads this many more, so
    /// that those still waiting (they stay unprepared, oldest first) never fill it.
    var count: Int {
        entries.withLockedValue { $0.count }
    }

    /// Whether `id` waits for its retry time at `now`.
    func isWaiting(_ id: DeliveryID, now: Date) -> Bool {
        entries.withLockedValue { $0[id].map { $0.retryAt > now } ?? false }
    }

    /// Records a retryable failure of `id`; returns when to try again, or `nil` when the policy gives up
    /// (the entry is then dropped).
    func deferral(
        of id: DeliveryID,
        receivedAt: Date,
        after error: StripeAPIRequestError,
        now: Date
    ) -> Date? {
        entries.withLockedValue { entries in
            let failures = (entries[id]?.failures ?? 0) + 1
            var wait = self.policy.backoff(afterAttempts: failures)
            if let asked = error.retryAfter, asked > wait { wait = asked }
            let retryAt = now.addingTimeInterval(wait.timeInterval)
            guard !self.policy.givesUp(afterAttempts: failures, receivedAt: receivedAt, retryAt: retryAt) else {
                entries[id] = nil
                return nil
            }
            entries[id] = Entry(failures: failures, retryAt: retryAt)
            return retryAt
        }
    }

    /// Forgets `id` (prepared, or given up).
    func clear(_ id: DeliveryID) {
        _ = entries.withLockedValue { $0.removeValue(forKey: id) }
    }
}
