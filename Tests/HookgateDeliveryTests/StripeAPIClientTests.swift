import HookgateCore
import HookgateDelivery
import Logging
import NIOHTTP1
import Testing

/// ``StripeAPIClient`` against a scripted API over a real socket: what it sends, Stripe's error shape as a
/// typed error that says whether a retry may help, the size bound, the timeout, and the key never in an error.
@Suite(.timeLimit(.minutes(1)))
struct StripeAPIClientTests {
    static let key = "sk_test_clientTestsNeverShown"
    static let logger = Logger(label: "test.stripe-api")

    /// The failure of `path`, or nil when it succeeded.
    func failure(_ client: StripeAPIClient, _ path: String = "/v1/payment_intents/pi_1") async -> StripeAPIRequestError?
    {
        do {
            _ = try await client.get(path, logger: Self.logger)
            return nil
        } catch {
            return error
        }
    }

    /// A GET carries the bearer key and the pinned version; the query is form-encoded; the answer is parsed.
    @Test func sendsTheKeyAndVersion() async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key) { _, _ in
            .init(status: 200, body: #"{"id":"pi_1","object":"payment_intent"}"#)
        } _: {
            client,
            api in
            let object = try await client.get(
                "/v1/events",
                query: [("types[]", "payment_intent.succeeded"), ("starting_after", "evt 1")],
                logger: Self.logger
            )
            #expect(object["id"] == .string("pi_1"))
            let request = try #require(api.received.first)
            #expect(request.uri == "/v1/events?types%5B%5D=payment_intent.succeeded&starting_after=evt%201")
            #expect(request.headers.first(name: "Authorization") == "Bearer \(Self.key)")
            #expect(request.headers.first(name: "Stripe-Version") == StripeAPIClient.stripeVersion)
        }
    }

    /// 404 in Stripe's shape: not retryable, with the status, type, code and message, and no key.
    @Test func notFoundIsFinal() async throws {
        let body = """
            {"error":{"type":"invalid_request_error","code":"resource_missing",\
            "message":"No such payment_intent: 'pi_1' (key \(Self.key))"}}
            """
        try await ScriptedStripeAPI.withClient(apiKey: Self.key) { _, _ in
            .init(status: 404, body: body)
        } _: { client, _ in
            let error = try #require(await self.failure(client))
            #expect(error.code == .status)
            #expect(error.status == 404)
            #expect(!error.isRetryable)
            #expect(error.stripeCode == "resource_missing")
            #expect(error.description.hasPrefix("stripe_api_status: GET /v1/payment_intents/pi_1 answered 404"))
            #expect(!error.description.contains(Self.key))
            #expect(!"\(error)".contains(Self.key))
        }
    }

    /// 5xx and 429 may be retried (with Retry-After kept); Stripe-Should-Retry overrides the status.
    @Test(arguments: [
        (500, [(String, String)](), true), (429, [("Retry-After", "3")], true),
        (503, [("Stripe-Should-Retry", "false")], false), (409, [("Stripe-Should-Retry", "true")], true),
        (401, [], false),
    ])
    func retryability(_ status: Int, _ headers: [(String, String)], _ retryable: Bool) async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key) { _, _ in
            .init(status: status, headers: headers, body: "{}")
        } _: { client, _ in
            let error = try #require(await self.failure(client))
            #expect(error.isRetryable == retryable)
            if status == 429 { #expect(error.retryAfter == .seconds(3)) }
        }
    }

    /// A path that is not an API path is refused before anything is sent.
    @Test func onlyAPIPathsAreAskedFor() async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key) { _, _ in
            .init(status: 200, body: "{}")
        } _: { client, api in
            for path in ["v1/events", "/v1/events?limit=1", "/v1/events x"] {
                #expect(await self.failure(client, path)?.code == .invalidPath, "\(path)")
            }
            #expect(api.received.isEmpty)
        }
    }

    /// An answer over the bound is refused, not read whole.
    @Test func answersAreBounded() async throws {
        let large = "{\"a\":\"" + String(repeating: "x", count: 4_096) + "\"}"
        try await ScriptedStripeAPI.withClient(apiKey: Self.key, maximumResponseBytes: 1_024) { _, _ in
            .init(status: 200, body: large)
        } _: {
            client,
            _ in
            let error = try #require(await self.failure(client))
            #expect(error.code == .responseTooLarge)
            #expect(!error.isRetryable)
        }
    }

    /// No answer within the timeout is a retryable timeout; a refused connection a retryable network failure.
    @Test func timeoutsAndNetworkFailuresMayBeRetried() async throws {
        try await ScriptedStripeAPI.withClient(apiKey: Self.key, timeout: .milliseconds(300)) { _, _ in
            nil
        } _: { client, _ in
            let error = try #require(await self.failure(client))
            #expect(error.code == .timeout)
            #expect(error.isRetryable)
        }
        let client = StripeAPIClient(
            settings: StripeAPISettings(apiBase: "http://127.0.0.1:1", apiKey: Secret(Self.key), keySource: "test"),
            timeout: .seconds(1)
        )
        let error = await self.failure(client)
        await client.shutdown()
        #expect(error?.code == .network)
        #expect(error?.isRetryable == true)
        #expect(error.map { "\($0)".contains(Self.key) } == false)
    }
}
