import HookgateCore
import NIOHTTP1

/// Turns a non-2xx answer of Stripe's API into a ``StripeAPIRequestError``.
enum StripeAPIResponse {
    /// The error for `status`: retryable for 429 and 5xx unless `Stripe-Should-Retry: false`, and for other
    /// statuses only with `Stripe-Should-Retry: true`; `Retry-After` (seconds) kept; the key never quoted.
    static func error(
        status: Int,
        headers: HTTPHeaders,
        body: [UInt8],
        request: String,
        key: Secret
    ) -> StripeAPIRequestError {
        let stripe = StripeAPIErrorBody(body)
        var retryable = status == 429 || status >= 500
        switch headers.first(name: "Stripe-Should-Retry")?.lowercased() {
        case "true": retryable = true
        case "false": retryable = false
        default: break
        }
        let retryAfter = headers.first(name: "Retry-After").flatMap { Int($0) }.flatMap {
            (0...86_400).contains($0) ? Duration.seconds($0) : nil
        }
        let message = key.redacted(in: stripe.message ?? "no error message")
        return StripeAPIRequestError(
            code: .status,
            request: request,
            status: status,
            stripeType: stripe.type.map { String($0.prefix(64)) },
            stripeCode: stripe.code.map { String($0.prefix(64)) },
            message: message,
            isRetryable: retryable,
            retryAfter: retryAfter
        )
    }
}
