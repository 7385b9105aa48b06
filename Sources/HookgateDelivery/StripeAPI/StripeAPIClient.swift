import AsyncHTTPClient
public import HookgateCore
public import Logging
import NIOCore
import NIOHTTP1

/// GETs objects from Stripe's API (`{api_base}{path}`), and POSTs forms to it with an idempotency key, with the
/// secret key as a bearer token and a pinned `Stripe-Version`; each request ends within ``timeout`` (its body's
/// reading a quarter of a second later at the latest) and reads at most ``maximumResponseBytes``.
/// Redirects are not followed, so the key goes nowhere but `api_base`. Shut it down with ``shutdown()``.
public final class StripeAPIClient: Sendable {
    /// The API version every request pins, so the objects' shape is the one the normalizer reads.
    public static let stripeVersion = "2026-07-29.dahlia"
    /// 10 s.
    public static let defaultTimeout = Duration.seconds(10)
    /// 4 MiB: far more than any single Stripe object or page of 100 events.
    public static let defaultMaximumResponseBytes = 4 << 20
    /// How long after ``timeout`` the reading of an answer's body is given up.
    static let bodyDeadlineMargin = Duration.milliseconds(250)
    /// How deep an answer's JSON may nest.
    static let documentLimits = JSONValueParser.Limits(maximumDepth: 64, maximumBytes: 64 << 20)

    /// Where the API is and its key.
    public let settings: StripeAPISettings
    /// The most one request may take, connection and answer included.
    public let timeout: Duration
    /// The largest answer read.
    public let maximumResponseBytes: Int
    private let client: HTTPClient

    /// - Parameters:
    ///   - settings: The API base and key.
    ///   - timeout: The most one request may take.
    ///   - maximumResponseBytes: The largest answer read; a larger one is ``StripeAPIRequestError/Code/responseTooLarge``.
    public init(
        settings: StripeAPISettings,
        timeout: Duration = StripeAPIClient.defaultTimeout,
        maximumResponseBytes: Int = StripeAPIClient.defaultMaximumResponseBytes
    ) {
        self.settings = settings
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: TimeAmount(timeout),
            read: TimeAmount(timeout)
        )
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections. Call once, after the last request.
    public func shutdown() async {
        try? await self.client.shutdown()
    }

    /// GETs `path` (starting with `/`, e.g. `/v1/events`) with `query` form-encoded, as the connected
    /// `account` when given (its `Stripe-Account` header: an object of a connected account is not found with
    /// the platform's key alone).
    /// - Returns: The answer, a JSON object.
    /// - Throws: ``StripeAPIRequestError``, which says whether a retry may help and never contains the key.
    public func get(
        _ path: String,
        query: [(name: String, value: String)] = [],
        account: String? = nil,
        logger: Logger
    ) async throws(StripeAPIRequestError) -> JSONValue {
        try Self.object(
            try await self.getBytes(path, query: query, account: account, logger: logger),
            request: "GET \(path)"
        )
    }

    /// GETs `path` as ``get(_:query:logger:)`` does, and returns the answer's bytes exactly as Stripe sent
    /// them, after checking that they are a JSON object (for storing an event byte for byte).
    public func getRaw(
        _ path: String,
        query: [(name: String, value: String)] = [],
        logger: Logger
    ) async throws(StripeAPIRequestError) -> [UInt8] {
        let body = try await self.getBytes(path, query: query, account: nil, logger: logger)
        _ = try Self.object(body, request: "GET \(path)")
        return body
    }

    /// POSTs `form` (`application/x-www-form-urlencoded`, sent as it is) to `path` with `idempotencyKey` as
    /// the `Idempotency-Key`, so that Stripe runs it at most once however often it is sent.
    /// - Returns: Stripe's answer, whatever its status (a 402 or a 500 is an answer, not an error), the body cut
    ///   at ``maximumResponseBytes``.
    /// - Throws: ``StripeAPIRequestError`` when no answer came (network failure or timeout: retryable, the
    ///   request may or may not have run), or nothing was sent (an invalid path or key); never contains the key.
    public func post(
        _ path: String,
        form: [UInt8],
        idempotencyKey: String,
        logger: Logger
    ) async throws(StripeAPIRequestError) -> StripeAPIAnswer {
        let request = "POST \(path)"
        guard (1...255).contains(idempotencyKey.utf8.count),
            idempotencyKey.utf8.allSatisfy({ (0x21..<0x7F).contains($0) })
        else {
            throw StripeAPIRequestError(
                code: .invalidIdempotencyKey,
                request: request,
                message: "an idempotency key is 1 to 255 printable ASCII characters without spaces",
                isRetryable: false
            )
        }
        return try await self.exchange(
            .POST,
            path,
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Idempotency-Key", idempotencyKey),
            ],
            body: form,
            truncating: true,
            logger: logger
        )
    }

    /// The body of a 2xx answer to `GET path`, as `account` when given.
    private func getBytes(
        _ path: String,
        query: [(name: String, value: String)],
        account: String?,
        logger: Logger
    ) async throws(StripeAPIRequestError) -> [UInt8] {
        if let account, !StripeID.isValid(account, prefix: "acct_") {
            throw StripeAPIRequestError(
                code: .invalidPath,
                request: "GET \(path)",
                message: "not a connected account id (acct_ and letters, digits or _)",
                isRetryable: false
            )
        }
        let answer = try await self.exchange(
            .GET,
            path,
            query: StripeAPIQuery.encoded(query),
            headers: account.map { [("Stripe-Account", $0)] } ?? [],
            truncating: false,
            logger: logger
        )
        guard answer.isSuccess else {
            throw answer.error(request: "GET \(path)", key: self.settings.apiKey)
        }
        return answer.body
    }

    /// Sends one request to `path` (checked to be an API path) with the key, the version and `headers`, and
    /// reads the answer: a body over ``maximumResponseBytes`` is cut there when `truncating`, an error
    /// otherwise.
    private func exchange(
        _ method: HTTPMethod,
        _ path: String,
        query: String = "",
        headers: [(String, String)] = [],
        body: [UInt8]? = nil,
        truncating: Bool,
        logger: Logger
    ) async throws(StripeAPIRequestError) -> StripeAPIAnswer {
        let request = "\(method.rawValue) \(path)"
        guard Self.isAPIPath(path) else {
            throw StripeAPIRequestError(
                code: .invalidPath,
                request: method.rawValue,
                message: "not an API path (printable ASCII starting with '/', no query)",
                isRetryable: false
            )
        }
        var outgoing = HTTPClientRequest(url: self.settings.apiBase + path + query)
        outgoing.method = method
        outgoing.headers.add(name: "Authorization", value: "Bearer \(self.settings.apiKey.value)")
        outgoing.headers.add(name: "Stripe-Version", value: Self.stripeVersion)
        outgoing.headers.add(name: "Accept", value: "application/json")
        outgoing.headers.add(contentsOf: headers)
        if let body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        logger.debug("Stripe API request", metadata: ["stripe.request": "\(request)"])
        do {
            // The client's own deadline ends with the answer's head, and its read timeout restarts with each read:
            // an answer dripped slowly would hold the request (and a command's lease) past the timeout. This one
            // ends the body's reading; it comes a moment after the client's, which names what failed before the
            // head (a refused connection is a network failure, not a timeout).
            let answer = try await withTimeLimit(self.timeout + Self.bodyDeadlineMargin) { [outgoing] in
                try await self.answer(to: outgoing, truncating: truncating, logger: logger)
            }
            guard let answer else { throw HTTPClientError.deadlineExceeded }
            return answer
        } catch {
            throw self.failure(error, request: request)
        }
    }

    /// Sends `outgoing` and reads its answer: a body over ``maximumResponseBytes`` is cut there when
    /// `truncating` (the rest is not read), an error otherwise.
    private func answer(
        to outgoing: HTTPClientRequest,
        truncating: Bool,
        logger: Logger
    ) async throws -> StripeAPIAnswer {
        let response = try await self.client.execute(outgoing, timeout: TimeAmount(self.timeout), logger: logger)
        let received: [UInt8]
        if truncating {
            var kept: [UInt8] = []
            for try await part in response.body {
                kept += part.readableBytesView.prefix(self.maximumResponseBytes - kept.count)
                if kept.count >= self.maximumResponseBytes { break }
            }
            received = kept
        } else {
            received = Array(buffer: try await response.body.collect(upTo: self.maximumResponseBytes))
        }
        return StripeAPIAnswer(
            status: Int(response.status.code),
            requestID: response.headers.first(name: "Request-Id"),
            idempotentReplayed: response.headers.first(name: "Idempotent-Replayed")?.lowercased() == "true",
            shouldRetry: response.headers.first(name: "Stripe-Should-Retry").flatMap { Bool($0.lowercased()) },
            retryAfter: response.headers.first(name: "Retry-After"),
            body: received
        )
    }

    /// Whether `path` can be appended to the API base as it is: `/` and printable ASCII, no query or fragment.
    static func isAPIPath(_ path: String) -> Bool {
        path.hasPrefix("/")
            && path.utf8.allSatisfy { (0x21..<0x7F).contains($0) && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
    }

    /// `body` parsed, when it is a JSON object.
    private static func object(_ body: [UInt8], request: String) throws(StripeAPIRequestError) -> JSONValue {
        guard let document = try? JSONValueParser.parse(body, limits: Self.documentLimits), case .object = document
        else {
            throw StripeAPIRequestError(
                code: .invalidResponse,
                request: request,
                message: "the answer is not a JSON object",
                isRetryable: false
            )
        }
        return document
    }

    /// The error for a request that got no (complete) answer.
    private func failure(_ error: any Error, request: String) -> StripeAPIRequestError {
        if error is NIOTooManyBytesError {
            return StripeAPIRequestError(
                code: .responseTooLarge,
                request: request,
                message: "the answer is larger than \(self.maximumResponseBytes) bytes",
                isRetryable: false
            )
        }
        if let error = error as? HTTPClientError,
            [HTTPClientError.deadlineExceeded, .readTimeout, .connectTimeout].contains(error)
        {
            return StripeAPIRequestError(
                code: .timeout,
                request: request,
                message: "no answer within \(self.timeout)",
                isRetryable: true
            )
        }
        return StripeAPIRequestError(
            code: .network,
            request: request,
            message: self.settings.apiKey.redacted(in: "\(error)"),
            isRetryable: true
        )
    }
}
