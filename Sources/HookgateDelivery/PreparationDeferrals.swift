import Foundation
import HookgateCore
import HookgateStore
import NIOConcurrencyHelpers

/// The deliveries whose preparation waits for Stripe's API after a failure that a retry may cure, and when
/// each may be tried again: the upstream retry policy's backoff (or Stripe's `Retry-After`, when longer) and
/// its limits. Kept in memory: a restart tries them again at once. The store is not told; they stay
/// unprepared meanwhile.
///
/// Such a failure (a timeout, a network failure, 429, 5xx) is taken as the API's, not the object's: no other
/// object is fetched until a pause has passed, so an API that times out costs one timeout per pause, not one
/// per waiting thin event, and claims (which wait for a page's preparation) go on. The pause is the policy's
/// base wait, doubling while the API keeps failing up to its cap or ``longestAPIPause``, whichever is shorter
/// (or Stripe's `Retry-After`, when longer), and ends with the first answer.
final class PreparationDeferrals: Sendable {
    /// The longest pause of every fetch after consecutive failures: an API back from an outage is asked again
    /// within this.
    static let longestAPIPause: Duration = .seconds(60)

    private struct Entry {
        var failures: Int
        var retryAt: Date
    }

    private struct State {
        var entries: [DeliveryID: Entry] = [:]
        /// Failures of the API since it last answered.
        var apiFailures = 0
        /// Until when no object is fetched.
        var apiPausedUntil: Date?
    }

    private let policy: UpstreamRetryPolicy
    private let state = NIOLockedValueBox(State())

    init(policy: UpstreamRetryPolicy) {
        self.policy = policy
    }

    /// How many deliveries are remembered as deferred: a page of unprepared deliveries reads this many more, so
    /// that those still waiting (they stay unprepared, oldest first) never fill it.
    var count: Int {
        state.withLockedValue { $0.entries.count }
    }

    /// Whether `id` is held back at `now`: it waits for its own retry time, or the API is paused, in which case
    /// it is remembered until the pause ends (counted, so that it never hides newer deliveries, but not as a
    /// failure of its own).
    func holds(_ id: DeliveryID, now: Date) -> Bool {
        state.withLockedValue { state in
            if let entry = state.entries[id], entry.retryAt > now { return true }
            guard let pausedUntil = state.apiPausedUntil, pausedUntil > now else { return false }
            state.entries[id] = Entry(failures: state.entries[id]?.failures ?? 0, retryAt: pausedUntil)
            return true
        }
    }

    /// Records a retryable failure of `id`, and of the API; returns when to try `id` again, or `nil` when the
    /// policy gives up (the entry is then dropped).
    func deferral(
        of id: DeliveryID,
        receivedAt: Date,
        after error: StripeAPIRequestError,
        now: Date
    ) -> Date? {
        state.withLockedValue { state in
            // Fetches that were under way when a pause began fail into it: they do not lengthen it.
            if (state.apiPausedUntil.map { $0 <= now }) ?? true {
                state.apiFailures += 1
                let longest = min(policy.cap, Self.longestAPIPause)
                var pause = min(policy.base * Double(1 << min(state.apiFailures - 1, 20)), longest)
                if let asked = error.retryAfter, asked > pause { pause = asked }
                state.apiPausedUntil = now.addingTimeInterval(pause.timeInterval)
            }

            let failures = (state.entries[id]?.failures ?? 0) + 1
            var wait = self.policy.backoff(afterAttempts: failures)
            if let asked = error.retryAfter, asked > wait { wait = asked }
            let retryAt = now.addingTimeInterval(wait.timeInterval)
            guard !self.policy.givesUp(afterAttempts: failures, receivedAt: receivedAt, retryAt: retryAt) else {
                state.entries[id] = nil
                return nil
            }
            state.entries[id] = Entry(failures: failures, retryAt: retryAt)
            return retryAt
        }
    }

    /// Forgets every delivery but those of `unprepared`, every delivery still unprepared: the others were
    /// prepared elsewhere (another replica, a reload that made their endpoint raw) and would otherwise stay
    /// remembered, each making every page one longer, for as long as the process runs.
    func forgetAllBut(_ unprepared: Set<DeliveryID>) {
        state.withLockedValue { state in
            state.entries = state.entries.filter { unprepared.contains($0.key) }
        }
    }

    /// Forgets `id` (prepared, or given up). `answered`: the API answered its fetch, which ends a pause.
    func clear(_ id: DeliveryID, answered: Bool) {
        state.withLockedValue { state in
            state.entries[id] = nil
            if answered {
                state.apiFailures = 0
                state.apiPausedUntil = nil
            }
        }
    }
}
