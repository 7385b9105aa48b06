import NIOCore

/// One request handed to a connection's ``UpstreamResponseHandler``.
struct UpstreamRequest: Sendable {
    /// The whole request, head and body, ready to write.
    var bytes: ByteBuffer
    /// When to stop waiting for the answer.
    var deadline: NIODeadline
    /// Where the answer (or the failure) goes.
    var response: EventLoopPromise<UpstreamResponse>
}

/// What the upstream answered to one request (its body was read and dropped).
struct UpstreamResponse: Sendable, Equatable {
    /// The status code.
    var status: Int
    /// The `Retry-After` header, if any.
    var retryAfter: String?
    /// Whether the connection can carry another request (no `connection: close`).
    var keepAlive: Bool
}
