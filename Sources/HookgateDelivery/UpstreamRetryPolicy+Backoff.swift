public import Foundation
public import HookgateCore

extension UpstreamRetryPolicy {
    /// The wait before the next attempt after `attempts` failed ones: exponential backoff with full jitter,
    /// a random wait between zero and `min(cap, base * 2^(attempts - 1))`.
    public func backoff(afterAttempts attempts: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(attempts - 1, 0), 40)
        let ceiling = min(cap, base * Double(1 << exponent))
        return ceiling * min(max(random, 0), 1)
    }

    /// Whether a delivery that failed its `attempts`-th attempt, received at `receivedAt`, is given up
    /// rather than tried again at `retryAt`.
    public func givesUp(afterAttempts attempts: Int, receivedAt: Date, retryAt: Date) -> Bool {
        if maximumAttempts > 0 && attempts >= maximumAttempts { return true }
        return retryAt.timeIntervalSince(receivedAt) > Double(maximumAge.components.seconds)
    }
}
