import HookgateCore
import NIOCore
import NIOHTTP1

/// One request as ``RequestLimitsHandler`` hands it to the connection's async loop: either a body read
/// within every limit for a routed endpoint, or the answer the HTTP checks already decided.
struct WebhookRequest: Sendable {
    enum Content: Sendable {
        /// The body for `endpoint`, complete and within its limits (gzip already decoded).
        case body(ByteBuffer, endpoint: GatewayEndpoint)
        /// The request failed a check of method, path, media type, encoding or size.
        case rejected(ErrorResponse, endpoint: GatewayEndpoint?)
    }

    /// The request head.
    var head: HTTPRequestHead
    /// What was read.
    var content: Content
    /// When the head arrived (for the latency metric and log).
    var startedAt: NIODeadline
}

/// The answer to one ``WebhookRequest``; the handler adds framing headers and closes the connection if needed.
struct WebhookResponse: Sendable {
    /// The status.
    var status: HTTPResponseStatus
    /// The JSON body.
    var body: String
    /// Seconds for `Retry-After`, if any.
    var retryAfterSeconds: Int?

    init(status: HTTPResponseStatus, body: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.body = body
        self.retryAfterSeconds = retryAfterSeconds
    }

    init(_ error: ErrorResponse) {
        self.init(status: error.status, body: error.body, retryAfterSeconds: error.retryAfterSeconds)
    }
}
