/// Why a request to the upstream got no usable answer, besides the socket's own errors (`IOError`) and NIO's
/// channel errors.
enum UpstreamTransportError: Error, Equatable {
    /// The attempt's deadline passed before the answer was complete.
    case timeout
    /// The upstream closed the connection before its answer was complete.
    case closedByUpstream
    /// The answer's body was longer than the most the client reads.
    case responseTooLarge(limit: Int)
    /// A header value would break the request's framing (a CR, LF or NUL in it).
    case invalidHeaderValue(name: String)
    /// The client was shut down.
    case shutDown
}
