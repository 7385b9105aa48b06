/// Stripe's answer to one request, whatever its status: what the command worker records and classifies.
public struct StripeAPIAnswer: Sendable, Hashable {
    /// The HTTP status.
    public var status: Int
    /// `Request-Id`, for Stripe's support.
    public var requestID: String?
    /// `Idempotent-Replayed: true`: the saved answer of an earlier request with the same key; nothing ran again.
    public var idempotentReplayed: Bool
    /// `Stripe-Should-Retry`: `true` or `false` when Stripe said whether a retry may help, `nil` when it did not.
    public var shouldRetry: Bool?
    /// `Retry-After` as sent (delay-seconds or an HTTP-date).
    public var retryAfter: String?
    /// The body, at most the client's ``StripeAPIClient/maximumResponseBytes`` (the rest is dropped).
    public var body: [UInt8]

    /// Creates an answer (the client builds these; tests of the classification too).
    public init(
        status: Int,
        requestID: String? = nil,
        idempotentReplayed: Bool = false,
        shouldRetry: Bool? = nil,
        retryAfter: String? = nil,
        body: [UInt8] = []
    ) {
        self.status = status
        self.requestID = requestID
        self.idempotentReplayed = idempotentReplayed
        self.shouldRetry = shouldRetry
        self.retryAfter = retryAfter
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(self.status) }
}
