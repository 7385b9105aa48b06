import Foundation
import HookgateCore

extension StripeAPIAnswer {
    /// The error of a non-2xx answer to `request` (`GET /v1/events`): retryable for 429 and 5xx unless
    /// `Stripe-Should-Retry: false`, and for other statuses only with `Stripe-Should-Retry: true`;
    /// `Retry-After` (seconds or an HTTP date, at most a day) kept; Stripe's error type, code and decline code; the key never quoted.
    func error(request: String, key: Secret) -> StripeAPIRequestError {
        let stripe = StripeAPIErrorBody(self.body)
        let retryable = self.shouldRetry ?? (self.status == 429 || self.status >= 500)
        let now = Date()
        let retryAfter = self.retryAfter.flatMap { RetryAfter.retryAt($0, now: now) }.map {
            Duration.seconds($0.timeIntervalSince(now))
        }
        return StripeAPIRequestError(
            code: .status,
            request: request,
            status: self.status,
            stripeType: stripe.type.map { String($0.prefix(64)) },
            stripeCode: stripe.code.map { String($0.prefix(64)) },
            stripeDeclineCode: stripe.declineCode.map { String($0.prefix(64)) },
            message: key.redacted(in: stripe.message ?? "no error message"),
            isRetryable: retryable,
            retryAfter: retryAfter
        )
    }
}
