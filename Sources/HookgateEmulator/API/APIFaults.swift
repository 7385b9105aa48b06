/// Failures the API injects on request (`--api-fail-first N --api-fail-status S`), for testing a client's
/// retries: the first ``failFirst`` POSTs are answered ``status`` before anything runs, with
/// `Stripe-Should-Retry: true` (and `Retry-After: 1` for 429 and 503); nothing is saved under their
/// idempotency keys, so a retry with the same key runs.
public struct APIFaults: Sendable, Hashable {
    /// The statuses that can be injected.
    public static let statuses: Set<Int> = [429, 500, 502, 503]

    public var failFirst: Int
    public var status: Int

    public init(failFirst: Int = 0, status: Int = 500) {
        self.failFirst = failFirst
        self.status = status
    }

    /// The injected error.
    var error: StripeAPIError {
        if self.status == 429 {
            return StripeAPIError(
                status: 429,
                kind: .invalidRequest,
                code: "rate_limit",
                message: "Too many requests hit the API too quickly (injected by Hookgate's emulator, "
                    + "--api-fail-first); nothing was done.",
                param: nil
            )
        }
        return StripeAPIError(
            status: self.status,
            kind: .api,
            code: nil,
            message: "Hookgate's emulator failed this request on purpose (--api-fail-first); nothing was done.",
            param: nil
        )
    }

    /// The headers of the injected answer.
    var headers: [(name: String, value: String)] {
        [("Stripe-Should-Retry", "true")] + (self.status == 429 || self.status == 503 ? [("Retry-After", "1")] : [])
    }
}
