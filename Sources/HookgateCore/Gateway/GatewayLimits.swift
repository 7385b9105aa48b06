/// Limits on every input size and every wait of the ingress. Defaults suit a Stripe endpoint on the internet.
public struct GatewayLimits: Sendable, Hashable {
    /// Open client connections at most; further connections are closed at once.
    public var maximumConnections: Int = 4_096
    /// Bytes of the request line and headers together at most (431 beyond).
    public var maximumHeaderBytes: Int = 16 * 1024
    /// Body bytes at most for any endpoint (an endpoint may set less); 413 beyond.
    public var maximumBodyBytes: Int = 1 << 20
    /// Decompressed bytes of a gzip body at most (413 beyond); also capped by the endpoint's body limit.
    public var maximumDecompressedBytes: Int = 1 << 20
    /// Decompressed size / compressed size at most (413 beyond): stops gzip bombs early.
    public var maximumDecompressionRatio: Int = 100
    /// Log lines for rejected requests (any answer but 200) per second at most, gateway-wide; the metrics
    /// still count every request. A flood of forged signatures then costs no log line each.
    public var rejectedRequestLogLinesPerSecond: Int = 100
    /// Time to receive the whole request head, from the first byte or from the end of the previous request.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Time to receive the whole body once the head is in.
    public var bodyReadTimeout: Duration = .seconds(30)
    /// Time an idle keep-alive connection stays open.
    public var idleTimeout: Duration = .seconds(75)
    /// Time in-flight requests get to finish on shutdown.
    public var shutdownGracePeriod: Duration = .seconds(10)

    public init() {}
}
