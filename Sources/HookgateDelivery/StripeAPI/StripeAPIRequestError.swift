/// Why a request to Stripe's API failed, and whether trying again later may help. Its description names the
/// request's path and Stripe's error (type, code, message) but never the API key.
public struct StripeAPIRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, bounded identifier of the kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as text, e.g. `stripe_api_status`.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// Stripe answered with a status other than 2xx (``StripeAPIRequestError/status``).
        public static let status = Code("stripe_api_status")
        /// No answer: the connection failed or broke.
        public static let network = Code("stripe_api_network")
        /// No answer within the client's timeout.
        public static let timeout = Code("stripe_api_timeout")
        /// The answer was larger than the client accepts.
        public static let responseTooLarge = Code("stripe_api_response_too_large")
        /// The path asked for is not an API path (nothing was sent).
        public static let invalidPath = Code("stripe_api_invalid_path")
        /// The idempotency key is not 1 to 255 printable ASCII characters (nothing was sent).
        public static let invalidIdempotencyKey = Code("stripe_api_invalid_idempotency_key")
        /// A 2xx answer that is not a JSON object.
        public static let invalidResponse = Code("stripe_api_invalid_response")

        public var description: String { self.rawValue }
    }

    /// What kind of failure.
    public let code: Code
    /// The request's method and path (`GET /v1/events/evt_1`), without the query.
    public let request: String
    /// The HTTP status Stripe answered, for ``Code/status``.
    public let status: Int?
    /// Stripe's `error.type` (e.g. `invalid_request_error`), when the answer carried its error shape.
    public let stripeType: String?
    /// Stripe's `error.code` (e.g. `resource_missing`).
    public let stripeCode: String?
    /// Stripe's `error.decline_code` of a declined card (e.g. `generic_decline`).
    public let stripeDeclineCode: String?
    /// Stripe's `error.message` (bounded, the key removed) or what went wrong.
    public let message: String
    /// Whether the same request may succeed later: network failures, timeouts, 429 and 5xx (unless Stripe
    /// says `Stripe-Should-Retry: false`), and 4xx when Stripe says `Stripe-Should-Retry: true`.
    public let isRetryable: Bool
    /// How long Stripe asked to wait (`Retry-After`), when it did.
    public let retryAfter: Duration?

    /// The longest message kept.
    static let maximumMessageLength = 500

    init(
        code: Code,
        request: String,
        status: Int? = nil,
        stripeType: String? = nil,
        stripeCode: String? = nil,
        stripeDeclineCode: String? = nil,
        message: String,
        isRetryable: Bool,
        retryAfter: Duration? = nil
    ) {
        self.code = code
        self.request = request
        self.status = status
        self.stripeType = stripeType
        self.stripeCode = stripeCode
        self.stripeDeclineCode = stripeDeclineCode
        self.message = String(message.prefix(Self.maximumMessageLength))
        self.isRetryable = isRetryable
        self.retryAfter = retryAfter
    }

    /// `stripe_api_status: GET /v1/events/evt_1 answered 404 (invalid_request_error, resource_missing): No such
    /// event: 'evt_1'`; a declined card adds its decline code (`card_error, card_declined, generic_decline`).
    public var description: String {
        var text = "\(self.code): \(self.request)"
        if let status { text += " answered \(status)" }
        let kinds = [self.stripeType, self.stripeCode, self.stripeDeclineCode].compactMap { $0 }
        if !kinds.isEmpty { text += " (\(kinds.joined(separator: ", ")))" }
        return text + ": " + self.message
    }
}
