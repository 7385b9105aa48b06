import HookgateStore
import NIOCore
import NIOHTTP1

/// A verified request as ``IngressConnectionHandler`` hands it to the connection's async loop, which appends
/// it to the store. Requests that fail a check never get here: the handler answers them on the event loop.
struct WebhookRequest: Sendable {
    /// The delivery to append.
    var delivery: NewDelivery
    /// When the head arrived (for the latency metric and log).
    var startedAt: NIODeadline
}

/// The answer to one request; the handler adds framing headers and closes the connection if needed.
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
