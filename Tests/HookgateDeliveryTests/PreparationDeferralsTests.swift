import Foundation
import HookgateCore
import HookgateStore
import Testing

@testable import HookgateDelivery

/// When thin events' objects are fetched again after failures a retry may cure: each delivery after its own
/// backoff, and no delivery while the API is paused, from one fixed time.
struct PreparationDeferralsTests {
    static let now = Date(timeIntervalSince1970: 1_795_683_600)
    /// A 1 s base and a 10 min cap, and no jitter to speak of for the pause (it has none).
    static let policy = UpstreamRetryPolicy(base: .seconds(1), cap: .seconds(600))

    static func timeout() -> StripeAPIRequestError {
        StripeAPIRequestError(
            code: .timeout,
            request: "GET /v1/payment_intents/pi_1",
            message: "no answer",
            isRetryable: true
        )
    }

    /// A failure pauses every fetch for the policy's base wait; a delivery that never failed is held (and
    /// counted) meanwhile, and may be fetched once the pause has passed.
    @Test func aFailurePausesEveryFetch() {
        let deferrals = PreparationDeferrals(policy: Self.policy)
        #expect(!deferrals.holds(DeliveryID(2), now: Self.now))
        #expect(
            deferrals.deferral(of: DeliveryID(1), receivedAt: Self.now, after: Self.timeout(), now: Self.now) != nil
        )
        #expect(deferrals.holds(DeliveryID(2), now: Self.now.addingTimeInterval(0.999)))
        #expect(deferrals.count == 2, "the held delivery is counted, so that it never hides newer ones")
        #expect(!deferrals.holds(DeliveryID(2), now: Self.now.addingTimeInterval(1)))
        #expect(!deferrals.holds(DeliveryID(3), now: Self.now.addingTimeInterval(1)))
    }

    /// The pause doubles while the API keeps failing, up to a minute; failures of fetches that were under way
    /// when it began do not lengthen it; an answer ends it.
    @Test func thePauseDoublesUpToAMinuteAndEndsWithAnAnswer() {
        let deferrals = PreparationDeferrals(policy: Self.policy)
        var now = Self.now
        var pauses: [TimeInterval] = []
        for id in 1...9 {
            _ = deferrals.deferral(of: DeliveryID(Int64(id)), receivedAt: Self.now, after: Self.timeout(), now: now)
            // Another fetch under way fails into the pause.
            _ = deferrals.deferral(of: DeliveryID(100), receivedAt: Self.now, after: Self.timeout(), now: now)
            var end = now
            while deferrals.holds(DeliveryID(1_000), now: end) { end.addTimeInterval(0.5) }
            deferrals.clear(DeliveryID(1_000), answered: false)
            pauses.append(end.timeIntervalSince(now))
            now = end
        }
        #expect(pauses == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        deferrals.clear(DeliveryID(9), answered: true)
        #expect(!deferrals.holds(DeliveryID(1_000), now: now))
        _ = deferrals.deferral(of: DeliveryID(10), receivedAt: Self.now, after: Self.timeout(), now: now)
        #expect(deferrals.holds(DeliveryID(1_000), now: now.addingTimeInterval(0.5)))
        #expect(!deferrals.holds(DeliveryID(1_001), now: now.addingTimeInterval(1)), "the pause starts over")
    }

    /// Stripe's `Retry-After` lengthens the pause (and the delivery's own wait) when it is longer.
    @Test func retryAfterLengthensThePause() {
        let deferrals = PreparationDeferrals(policy: Self.policy)
        let limited = StripeAPIRequestError(
            code: .status,
            request: "GET /v1/payment_intents/pi_1",
            status: 429,
            message: "rate limited",
            isRetryable: true,
            retryAfter: .seconds(30)
        )
        let retryAt = deferrals.deferral(of: DeliveryID(1), receivedAt: Self.now, after: limited, now: Self.now)
        #expect(retryAt == Self.now.addingTimeInterval(30))
        #expect(deferrals.holds(DeliveryID(2), now: Self.now.addingTimeInterval(29.9)))
        #expect(!deferrals.holds(DeliveryID(2), now: Self.now.addingTimeInterval(30)))
    }

    /// A delivery is given up by the policy's limits, and forgotten.
    @Test func theRetryPolicyGivesUp() {
        let deferrals = PreparationDeferrals(policy: UpstreamRetryPolicy(base: .seconds(1), maximumAttempts: 2))
        let id = DeliveryID(1)
        #expect(deferrals.deferral(of: id, receivedAt: Self.now, after: Self.timeout(), now: Self.now) != nil)
        let later = Self.now.addingTimeInterval(5)
        #expect(deferrals.deferral(of: id, receivedAt: Self.now, after: Self.timeout(), now: later) == nil)
        #expect(deferrals.count == 0)
    }

    /// Deliveries no longer unprepared (prepared by another replica, say) are forgotten with the next page that
    /// read every unprepared one; those still unprepared keep their failures and wait.
    @Test func deliveriesPreparedElsewhereAreForgotten() {
        let deferrals = PreparationDeferrals(policy: Self.policy)
        for id in 1...3 {
            _ = deferrals.deferral(
                of: DeliveryID(Int64(id)),
                receivedAt: Self.now,
                after: Self.timeout(),
                now: Self.now
            )
        }
        #expect(deferrals.count == 3)
        deferrals.forgetAllBut([DeliveryID(2)])
        #expect(deferrals.count == 1)
        #expect(deferrals.holds(DeliveryID(2), now: Self.now.addingTimeInterval(0.001)))
    }
}
