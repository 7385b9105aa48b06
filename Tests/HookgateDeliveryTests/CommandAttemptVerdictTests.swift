import Foundation
import HookgateCore
import HookgateStore
import Testing

@testable import HookgateDelivery

/// How an attempt of a command moves it, for every kind of answer: status × `Stripe-Should-Retry` ×
/// `Retry-After` × body shape, no answer at all, and the idempotency window.
struct CommandAttemptVerdictTests {
    static let key = Secret("sk_test_verdictNeverShown")
    static let now = Date(timeIntervalSince1970: 1_796_400_000)
    /// Backoff `base * 2^(attempts-1)` times the jitter 0.5: 1 s after the first attempt.
    static let policy = UpstreamRetryPolicy(base: .seconds(2), cap: .seconds(600), maximumAttempts: 0)
    static let declined = #"""
        {"error":{"type":"card_error","code":"card_declined","decline_code":"generic_decline",
        "message":"Your card was declined.","charge":"ch_1",
        "payment_intent":{"id":"pi_declined","object":"payment_intent","status":"requires_payment_method"}}}
        """#
    static let invalid = #"{"error":{"type":"invalid_request_error","code":"parameter_missing","message":"Missing"}}"#
    static let serverError = #"{"error":{"type":"api_error","message":"Something went wrong"}}"#

    static func verdict(
        _ answer: StripeAPIAnswer,
        attempts: Int = 1,
        receivedAt: Date = now,
        policy: UpstreamRetryPolicy = policy
    ) -> CommandAttemptVerdict {
        CommandAttemptVerdict(
            classifying: .success(answer),
            request: "POST /v1/payment_intents",
            key: key,
            attempts: attempts,
            receivedAt: receivedAt,
            now: now,
            retry: policy,
            random: 0.5
        )
    }

    static func verdict(_ failure: StripeAPIRequestError, attempts: Int = 1) -> CommandAttemptVerdict {
        CommandAttemptVerdict(
            classifying: .failure(failure),
            request: "POST /v1/payment_intents",
            key: key,
            attempts: attempts,
            receivedAt: now,
            now: now,
            retry: policy,
            random: 0.5
        )
    }

    /// One answer and the outcome it must have.
    struct Case: Sendable, CustomTestStringConvertible {
        enum Expected: Sendable, Equatable {
            case delivered
            case dead
            /// Retried this many seconds from now.
            case retry(TimeInterval)
        }

        var status: Int
        var replayed = false
        var shouldRetry: Bool?
        var retryAfter: String?
        var body: String
        var expected: Expected

        var testDescription: String {
            "\(status)\(replayed ? " replayed" : "") should-retry \(shouldRetry.map(String.init) ?? "-") "
                + "retry-after \(retryAfter ?? "-")"
        }
    }

    static let cases: [Case] = [
        // 2xx: delivered whatever Stripe says of retries.
        Case(status: 200, body: #"{"id":"pi_1","status":"succeeded"}"#, expected: .delivered),
        Case(status: 200, shouldRetry: true, body: #"{"id":"pi_1","status":"succeeded"}"#, expected: .delivered),
        Case(status: 200, shouldRetry: false, body: #"{"id":"pi_1","status":"succeeded"}"#, expected: .delivered),
        // 5xx, 429 and 409 are retried: after the backoff, or at Retry-After.
        Case(status: 500, body: serverError, expected: .retry(1)),
        Case(status: 502, body: "<html>bad gateway</html>", expected: .retry(1)),
        Case(status: 503, retryAfter: "5", body: serverError, expected: .retry(5)),
        Case(status: 500, shouldRetry: true, retryAfter: "1", body: serverError, expected: .retry(1)),
        Case(status: 429, retryAfter: "7", body: #"{"error":{"code":"rate_limit"}}"#, expected: .retry(7)),
        Case(status: 429, body: "", expected: .retry(1)),
        Case(status: 429, retryAfter: "Fri, 04 Dec 2026 16:00:30 GMT", body: "", expected: .retry(30)),
        Case(status: 429, retryAfter: "soon", body: "", expected: .retry(1)),
        Case(status: 409, body: #"{"error":{"type":"idempotency_error"}}"#, expected: .retry(1)),
        // Stripe-Should-Retry overrides the status.
        Case(status: 500, shouldRetry: false, body: serverError, expected: .dead),
        Case(status: 429, shouldRetry: false, retryAfter: "7", body: "", expected: .dead),
        Case(status: 409, shouldRetry: false, body: "", expected: .dead),
        Case(status: 400, shouldRetry: true, body: invalid, expected: .retry(1)),
        Case(status: 402, shouldRetry: true, retryAfter: "3", body: declined, expected: .retry(3)),
        // A replayed error is Stripe's saved answer to the key: retrying gets it again, unless Stripe says retry.
        Case(status: 500, replayed: true, body: serverError, expected: .dead),
        Case(status: 503, replayed: true, retryAfter: "5", body: serverError, expected: .dead),
        Case(status: 500, replayed: true, shouldRetry: true, body: serverError, expected: .retry(1)),
        Case(status: 402, replayed: true, body: declined, expected: .dead),
        Case(status: 200, replayed: true, body: #"{"id":"pi_1","status":"succeeded"}"#, expected: .delivered),
        // Other 4xx are dead.
        Case(status: 400, body: invalid, expected: .dead),
        Case(
            status: 401,
            body: #"{"error":{"type":"invalid_request_error","message":"Invalid API Key"}}"#,
            expected: .dead
        ),
        Case(status: 402, body: declined, expected: .dead),
        Case(status: 404, body: "not json", expected: .dead),
        Case(status: 400, retryAfter: "3", body: invalid, expected: .dead),
    ]

    /// Each case's outcome; a retry carries no object unless Stripe's error named one, a failure its error.
    @Test(arguments: cases)
    func classifies(_ testCase: Case) {
        let verdict = Self.verdict(
            StripeAPIAnswer(
                status: testCase.status,
                idempotentReplayed: testCase.replayed,
                shouldRetry: testCase.shouldRetry,
                retryAfter: testCase.retryAfter,
                body: Array(testCase.body.utf8)
            )
        )
        switch testCase.expected {
        case .delivered:
            #expect(verdict.outcome == .delivered)
            #expect(verdict.error == nil)
        case .dead:
            #expect(verdict.outcome == .dead)
            #expect(verdict.error?.contains("answered \(testCase.status)") == true)
        case .retry(let seconds):
            #expect(verdict.outcome == .retry(at: Self.now.addingTimeInterval(seconds)))
            #expect(verdict.error?.contains("answered \(testCase.status)") == true)
        }
    }

    /// A 2xx names the answer's object and status; replayed or not, it is the same.
    @Test(arguments: [false, true])
    func aSuccessNamesItsObject(_ replayed: Bool) {
        let verdict = Self.verdict(
            StripeAPIAnswer(
                status: 200,
                idempotentReplayed: replayed,
                body: Array(#"{"id":"re_1","object":"refund","status":"pending"}"#.utf8)
            )
        )
        #expect(
            verdict
                == CommandAttemptVerdict(
                    outcome: .delivered,
                    stripeObject: .init(id: "re_1", status: "pending"),
                    error: nil
                )
        )
    }

    /// A 2xx whose body names no object is still delivered (Stripe did it), and says so.
    @Test func aSuccessWithoutAnObjectIsDeliveredAndSaysSo() {
        let verdict = Self.verdict(StripeAPIAnswer(status: 200, body: Array("[]".utf8)))
        #expect(verdict.outcome == .delivered)
        #expect(verdict.stripeObject == nil)
        #expect(verdict.error == "Stripe answered 200 without an object id")
    }

    /// A declined card is dead with Stripe's type, code, decline code and message, and its PaymentIntent.
    @Test func aDeclinedCardIsDeadWithItsPaymentIntent() {
        let verdict = Self.verdict(StripeAPIAnswer(status: 402, body: Array(Self.declined.utf8)))
        #expect(verdict.outcome == .dead)
        #expect(verdict.stripeObject == StripeObjectReference(id: "pi_declined", status: "requires_payment_method"))
        #expect(
            verdict.error
                == "stripe_api_status: POST /v1/payment_intents answered 402 (card_error, card_declined, "
                + "generic_decline): Your card was declined."
        )
    }

    /// Stripe's message never carries the key into the record.
    @Test func theKeyIsNeverInTheError() {
        let body =
            #"{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: "#
            + Self.key.value + #""}}"#
        let verdict = Self.verdict(StripeAPIAnswer(status: 401, body: Array(body.utf8)))
        #expect(verdict.error?.contains(Self.key.value) == false)
        #expect(verdict.error?.contains("<redacted>") == true)
    }

    /// No answer (network failure, timeout) is retried after the backoff; a request never sent is dead.
    @Test func noAnswerIsRetriedAndNothingSentIsDead() {
        for code in [StripeAPIRequestError.Code.network, .timeout] {
            let failure = StripeAPIRequestError(
                code: code,
                request: "POST /v1/refunds",
                message: "x",
                isRetryable: true
            )
            let verdict = Self.verdict(failure, attempts: 3)
            // 2 s * 2^2 * 0.5.
            #expect(verdict.outcome == .retry(at: Self.now.addingTimeInterval(4)))
            #expect(verdict.error == failure.description)
            #expect(verdict.stripeObject == nil)
        }
        let unsent = StripeAPIRequestError(code: .invalidPath, request: "POST", message: "x", isRetryable: false)
        #expect(Self.verdict(unsent).outcome == .dead)
    }

    /// Retries stop before Stripe forgets the idempotency key (23 h after receipt), even when the policy allows
    /// three days; a Retry-After past that gives up too. The policy's attempt limit holds as well.
    @Test func retriesStopWithinTheIdempotencyWindow() {
        let threeDays = UpstreamRetryPolicy(base: .seconds(600), cap: .seconds(600), maximumAge: .seconds(3 * 86_400))
        let fail = StripeAPIAnswer(status: 500, body: Array(Self.serverError.utf8))
        let early = Self.now.addingTimeInterval(-22 * 3600)
        #expect(
            Self.verdict(fail, attempts: 40, receivedAt: early, policy: threeDays).outcome
                == .retry(at: Self.now.addingTimeInterval(300))
        )
        let late = Self.now.addingTimeInterval(-(23 * 3600 - 100))
        let given = Self.verdict(fail, attempts: 40, receivedAt: late, policy: threeDays)
        #expect(given.outcome == .dead)
        #expect(given.error?.hasSuffix("(given up after 40 attempts)") == true)
        let throttled = StripeAPIAnswer(status: 429, retryAfter: "3700")
        #expect(Self.verdict(throttled, receivedAt: early, policy: threeDays).outcome == .dead)

        let fewAttempts = UpstreamRetryPolicy(base: .seconds(1), cap: .seconds(1), maximumAttempts: 3)
        #expect(Self.verdict(fail, attempts: 2, policy: fewAttempts).outcome != .dead)
        #expect(Self.verdict(fail, attempts: 3, policy: fewAttempts).outcome == .dead)
    }
}
