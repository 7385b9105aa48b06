import Foundation
import HookgateCore
import HookgateDelivery
import Testing

/// Backoff with full jitter, caps, and when a delivery is given up.
struct RetryPolicyTests {
    let policy = UpstreamRetryPolicy(
        base: .seconds(1),
        cap: .seconds(600),
        maximumAttempts: 0,
        maximumAge: .seconds(3 * 86_400)
    )

    @Test func backoffDoublesUpToTheCapWithFullJitter() {
        #expect(policy.backoff(afterAttempts: 1, random: 1) == .seconds(1))
        #expect(policy.backoff(afterAttempts: 2, random: 1) == .seconds(2))
        #expect(policy.backoff(afterAttempts: 5, random: 1) == .seconds(16))
        #expect(policy.backoff(afterAttempts: 11, random: 1) == .seconds(600))
        #expect(policy.backoff(afterAttempts: 1_000, random: 1) == .seconds(600))
        #expect(policy.backoff(afterAttempts: 5, random: 0) == .zero)
        #expect(policy.backoff(afterAttempts: 5, random: 0.5) == .seconds(8))
        let samples = (0..<200).map { _ in policy.backoff(afterAttempts: 4) }
        #expect(samples.allSatisfy { $0 >= .zero && $0 <= .seconds(8) })
        #expect(Set(samples).count > 100, "jitter spreads the retries")
    }

    @Test func givesUpPastTheMaximumAgeOrAttempts() {
        let received = Date(timeIntervalSince1970: 1_764_000_000)
        #expect(!policy.givesUp(afterAttempts: 50, receivedAt: received, retryAt: received.addingTimeInterval(86_400)))
        #expect(
            policy.givesUp(
                afterAttempts: 50,
                receivedAt: received,
                retryAt: received.addingTimeInterval(3 * 86_400 + 1)
            )
        )
        let limited = UpstreamRetryPolicy(
            base: .seconds(1),
            cap: .seconds(10),
            maximumAttempts: 3,
            maximumAge: .seconds(86_400)
        )
        #expect(!limited.givesUp(afterAttempts: 2, receivedAt: received, retryAt: received))
        #expect(limited.givesUp(afterAttempts: 3, receivedAt: received, retryAt: received))
    }
}
