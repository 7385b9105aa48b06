/// Where and how the delivery worker forwards events: the payment system's Unix socket, resolved from the
/// configuration's `upstream` section and `HOOKGATE_UPSTREAM_SOCKET`.
public struct UpstreamSettings: Sendable {
    /// The Unix socket's path.
    public var socketPath: String
    /// The request path of every forward, starting with `/`.
    public var requestPath: String
    /// Forwards in flight at once, at most.
    public var maximumInFlight: Int
    /// How long one forward may take.
    public var timeout: Duration
    /// When failed forwards are tried again, and when they are given up.
    public var retry: UpstreamRetryPolicy
    /// The key that signs forwards with a Standard Webhooks signature; `nil` for unsigned forwards.
    public var signingKeyring: Keyring?

    public init(
        socketPath: String,
        requestPath: String = UpstreamConfiguration.defaultRequestPath,
        maximumInFlight: Int = UpstreamConfiguration.defaultMaximumInFlight,
        timeout: Duration = UpstreamConfiguration.defaultTimeout,
        retry: UpstreamRetryPolicy = UpstreamRetryPolicy(),
        signingKeyring: Keyring? = nil
    ) {
        self.socketPath = socketPath
        self.requestPath = requestPath
        self.maximumInFlight = maximumInFlight
        self.timeout = timeout
        self.retry = retry
        self.signingKeyring = signingKeyring
    }
}
