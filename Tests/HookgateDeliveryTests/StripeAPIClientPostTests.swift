import HookgateCore
import HookgateDelivery
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// ``StripeAPIClient/post(_:form:idempotencyKey:logger:)`` against a scripted API over a real socket: the form
/// bytes and headers sent, the whole answer back whatever its status, the body cut at the bound, a typed
/// retryable error when no answer came, and the key never in an error.
@Suite(.timeLimit(.minutes(1)))
struct StripeAPIClientPostTests {
    static let key = "sk_test_postTestsNeverShown"
    static let logger = Logger(label: "test.stripe-api")
    static let form = Array("amount=2000&currency=usd&metadata%5Border_id%5D=ord_1".utf8)

    /// The error of POSTing an empty form to `path`, or nil when it was answered.
    static func failure(_ client: StripeAPIClient, _ path: String = "/v1/refunds") async -> StripeAPIRequestError? {
        do {
            _ = try await client.post(path, form: [], idempotencyKey: "k", logger: Self.logger)
            return nil
        } catch {
            return error
        }
    }

    /// The form goes as it is with the key, version, content type and idempotency key; the answer's headers
    /// come back.
    @Test func sendsTheFormWithItsKeyAndReturnsTheAnswer() async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key) { _, _ in
            .init(
                status: 200,
                headers: [("Request-Id", "req_1"), ("Idempotent-Replayed", "true")],
                body: #"{"id":"pi_1","status":"succeeded"}"#
            )
        } _: { client, api in
            let answer = try await client.post(
                "/v1/payment_intents",
                form: Self.form,
                idempotencyKey: "cmd-1",
                logger: Self.logger
            )
            #expect(answer.status == 200 && answer.isSuccess)
            #expect(answer.requestID == "req_1")
            #expect(answer.idempotentReplayed)
            #expect(answer.shouldRetry == nil && answer.retryAfter == nil)
            #expect(String(decoding: answer.body, as: UTF8.self) == #"{"id":"pi_1","status":"succeeded"}"#)
            let request = try #require(api.received.first)
            #expect(request.method == .POST)
            #expect(request.uri == "/v1/payment_intents")
            #expect(request.body == Self.form)
            #expect(request.headers.first(name: "Authorization") == "Bearer \(Self.key)")
            #expect(request.headers.first(name: "Stripe-Version") == StripeAPIClient.stripeVersion)
            #expect(request.headers.first(name: "Idempotency-Key") == "cmd-1")
            #expect(request.headers.first(name: "Content-Type") == "application/x-www-form-urlencoded")
        }
    }

    /// A 4xx or 5xx is an answer with Stripe's headers, not an error.
    @Test func anErrorStatusIsAnAnswer() async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key) { _, _ in
            .init(
                status: 429,
                headers: [("Stripe-Should-Retry", "true"), ("Retry-After", "2"), ("Request-Id", "req_2")],
                body: #"{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many"}}"#
            )
        } _: { client, _ in
            let answer = try await client.post(
                "/v1/refunds",
                form: [],
                idempotencyKey: "cmd-2",
                logger: Self.logger
            )
            #expect(answer.status == 429 && !answer.isSuccess)
            #expect(answer.shouldRetry == true)
            #expect(answer.retryAfter == "2")
            #expect(answer.requestID == "req_2")
            #expect(!answer.idempotentReplayed)
        }
    }

    /// A body over the bound is cut there rather than refused: Stripe may have done the work.
    @Test func aLongAnswerIsCut() async throws {
        let large = "{\"a\":\"" + String(repeating: "x", count: 100_000) + "\"}"
        try await ScriptedStripeAPI.withClient(apiKey: Self.key, maximumResponseBytes: 1_024) { _, _ in
            .init(status: 200, body: large)
        } _: { client, _ in
            let answer = try await client.post("/v1/refunds", form: [], idempotencyKey: "k", logger: Self.logger)
            #expect(answer.body == Array(large.utf8.prefix(1_024)))
        }
    }

    /// An idempotency key that cannot be a header, or a path that is not an API path, sends nothing.
    @Test func anInvalidKeyOrPathSendsNothing() async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key) { _, _ in
            .init(status: 200, body: "{}")
        } _: { client, api in
            for key in ["", "a b", String(repeating: "k", count: 256), "caf\u{E9}"] {
                await #expect(throws: StripeAPIRequestError.self) {
                    _ = try await client.post("/v1/refunds", form: [], idempotencyKey: key, logger: Self.logger)
                }
            }
            let error = await Self.failure(client, "v1/refunds")
            #expect(error?.code == .invalidPath && error?.isRetryable == false)
            #expect(api.received.isEmpty)
        }
    }

    /// No answer in time is a retryable timeout; a refused connection a retryable network failure without the key.
    @Test func noAnswerIsARetryableError() async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key, timeout: .milliseconds(300)) { _, _ in
            nil
        } _: { client, _ in
            let error = await Self.failure(client)
            #expect(error?.code == .timeout && error?.isRetryable == true)
            #expect(error?.request == "POST /v1/refunds")
        }
        let client = StripeAPIClient(
            settings: StripeAPISettings(apiBase: "http://127.0.0.1:1", apiKey: Secret(Self.key), keySource: "test"),
            timeout: .seconds(1)
        )
        let error = await Self.failure(client)
        #expect(error?.code == .network && error?.isRetryable == true)
        #expect(error.map { "\($0)".contains(Self.key) } == false)
        await client.shutdown()
    }

    /// An answer whose head comes at once and whose body drips a byte every 100 ms (each read well within the
    /// read timeout) still ends at the request's timeout: a retryable timeout, not an answer 3 s later.
    @Test func aDrippedAnswerEndsAtTheTimeout() async throws {
        let body = "{\"id\":\"re_1\",\"padding\":\"" + String(repeating: "x", count: 20) + "\"}"
        try await ScriptedStripeAPI.withClient(apiKey: Self.key, timeout: .milliseconds(500)) { _, _ in
            .init(status: 200, body: body, drip: .milliseconds(100))
        } _: { client, _ in
            let error = await Self.failure(client)
            #expect(error?.code == .timeout && error?.isRetryable == true, "\(String(describing: error))")
        }
    }
}
