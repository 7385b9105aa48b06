import Foundation
import HookgateCore
import HookgateStore

/// What one attempt of a command to Stripe's API decides: the state the command moves to, the object Stripe's
/// answer named, and the error recorded with the attempt. A pure function of the answer (or the failure), the
/// attempt's number, the times and the retry policy.
struct CommandAttemptVerdict: Hashable, Sendable {
    /// Where the command goes.
    var outcome: AttemptOutcome
    /// The PaymentIntent or Refund of a 2xx answer, or the PaymentIntent of a declined card; nil when none.
    var stripeObject: StripeObjectReference?
    /// Why the attempt failed (Stripe's error or the network's); nil for a 2xx.
    var error: String?

    /// Classifies `result`, the `attempts`-th attempt of `request` (`POST /v1/payment_intents`) of a command
    /// received at `receivedAt`:
    /// - 2xx: delivered, naming the answer's `id` and `status`;
    /// - `Stripe-Should-Retry: true` or `false`: retried or dead whatever the status;
    /// - otherwise 409 (the key is in use by a concurrent request), 429 and 5xx, and no answer at all (network
    ///   failure, timeout), are retried: at `Retry-After` when Stripe sent one, else after the policy's backoff;
    ///   but not a replayed answer (`Idempotent-Replayed: true`, e.g. a 500 Stripe saved for the key): a retry
    ///   with the same key gets it again;
    /// - other statuses are dead, with Stripe's error and the PaymentIntent its `error.payment_intent` names;
    /// - a retry later than the policy allows, or than ``IdempotencyWindow/retries`` after receipt, is dead
    ///   instead.
    /// The key never appears in the error.
    init(
        classifying result: Result<StripeAPIAnswer, StripeAPIRequestError>,
        request: String,
        key: Secret,
        attempts: Int,
        receivedAt: Date,
        now: Date,
        retry policy: UpstreamRetryPolicy,
        random: Double = Double.random(in: 0...1)
    ) {
        let answer: StripeAPIAnswer
        switch result {
        case .failure(let failure):
            guard failure.isRetryable else {
                self.init(outcome: .dead, stripeObject: nil, error: failure.description)
                return
            }
            self.init(
                retrying: failure.description,
                at: nil,
                attempts: attempts,
                receivedAt: receivedAt,
                now: now,
                policy: policy,
                random: random
            )
            return
        case .success(let answered):
            answer = answered
        }
        guard !answer.isSuccess else {
            let object = Self.object(answer.body)
            self.init(
                outcome: .delivered,
                stripeObject: object,
                error: object == nil ? "Stripe answered \(answer.status) without an object id" : nil
            )
            return
        }
        var failure = answer.error(request: request, key: key).description
        let stripe = StripeAPIErrorBody(answer.body)
        let object = stripe.paymentIntent.map { StripeObjectReference(id: $0.id, status: $0.status) }
        // A replayed answer is the one Stripe saved for this key (a 500 too): the same request gets it again.
        let retryable =
            answer.shouldRetry
            ?? (!answer.idempotentReplayed && ([409, 429].contains(answer.status) || answer.status >= 500))
        if answer.idempotentReplayed, answer.shouldRetry == nil {
            failure += " (Idempotent-Replayed: Stripe's saved answer to this key, which a retry gets again)"
        }
        guard retryable else {
            self.init(outcome: .dead, stripeObject: object, error: failure)
            return
        }
        self.init(
            retrying: failure,
            at: answer.retryAfter.flatMap { RetryAfter.retryAt($0, now: now) },
            attempts: attempts,
            receivedAt: receivedAt,
            now: now,
            policy: policy,
            random: random
        )
        self.stripeObject = object
    }

    init(outcome: AttemptOutcome, stripeObject: StripeObjectReference?, error: String?) {
        self.outcome = outcome
        self.stripeObject = stripeObject
        self.error = error
    }

    /// A failure a retry may cure: retried at `retryAfter` (Stripe's) or after the backoff, unless that gives
    /// up.
    private init(
        retrying error: String,
        at retryAfter: Date?,
        attempts: Int,
        receivedAt: Date,
        now: Date,
        policy: UpstreamRetryPolicy,
        random: Double
    ) {
        var bounded = policy
        bounded.maximumAge = min(policy.maximumAge, IdempotencyWindow.retries)
        let retryAt =
            retryAfter.map { max($0, now) }
            ?? now.addingTimeInterval(policy.backoff(afterAttempts: attempts, random: random).timeInterval)
        guard bounded.givesUp(afterAttempts: attempts, receivedAt: receivedAt, retryAt: retryAt) else {
            self.init(outcome: .retry(at: retryAt), stripeObject: nil, error: error)
            return
        }
        self.init(outcome: .dead, stripeObject: nil, error: error + " (given up after \(attempts) attempts)")
    }

    /// The `id` and `status` of a 2xx answer's object.
    private static func object(_ body: [UInt8]) -> StripeObjectReference? {
        guard let document = try? JSONValueParser.parse(body, limits: StripeAPIClient.documentLimits),
            case .string(let id)? = document["id"]
        else { return nil }
        guard case .string(let status)? = document["status"] else { return StripeObjectReference(id: id, status: nil) }
        return StripeObjectReference(id: id, status: status)
    }
}
