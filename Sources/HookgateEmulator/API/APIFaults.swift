/// Failures the API injects on request, for testing a client's retries: the first ``failFirst`` POSTs are
/// answered ``status`` before anything runs (`--api-fail-first N --api-fail-status S`), with
/// `Stripe-Should-Retry: true` (and `Retry-After: 1` for 429 and 503); nothing is saved under their
/// idempotency keys, so a retry with the same key runs. With ``answerDelayMilliseconds``
/// (`--api-answer-delay MS`) every POST runs at once (and is in `/_emulator/requests`) but its answer is sent
/// that much later, so a client can be stopped between Stripe doing the work and the client hearing of it.
public struct APIFaults: Sendable, Hashable {
    /// The statuses that can be injected.
    public static let statuses: Set<Int> = [429, 500, 502, 503]
    /// The longest answer delay: 10 minutes.
    public static let maximumAnswerDelayMilliseconds = 600_000

    /// How many POSTs fail first.
    public var failFirst: Int
    /// Their status.
    public var status: Int
    /// How long after running a POST its answer is sent.
    public var answerDelayMilliseconds: Int

    public init(failFirst: Int = 0, status: Int = 500, answerDelayMilliseconds: Int = 0) {
        self.failFirst = failFirst
        self.status = status
        self.answerDelayMilliseconds = answerDelayMilliseconds
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
