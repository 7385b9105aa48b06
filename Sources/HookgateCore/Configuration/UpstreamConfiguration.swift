/// The payment system's Unix socket as configured (`upstream`); the signing secret is not yet read.
public struct UpstreamConfiguration: Sendable, Hashable {
    /// The socket's path (`socket`); `nil`, the default, for `<data dir>/payments.sock`
    /// (`HOOKGATE_UPSTREAM_SOCKET` overrides both).
    public var socket: String?
    /// The request path (`path`). Default: ``defaultRequestPath``.
    public var requestPath: String
    /// Forwards in flight at once (`max_in_flight`, 1–1024). Default: ``defaultMaximumInFlight``.
    public var maximumInFlight: Int
    /// The time one forward may take (`timeout_ms`, 1–600,000). Default: ``defaultTimeout``.
    public var timeout: Duration
    /// Backoff and give-up rules (`retry`).
    public var retry: UpstreamRetryPolicy
    /// The secret that signs forwards with a Standard Webhooks signature (`signing_secret`, a secret like an
    /// endpoint's); `nil`, the default, for unsigned forwards.
    public var signingSecret: SecretConfiguration?

    /// `/events`.
    public static let defaultRequestPath = "/events"
    /// 16.
    public static let defaultMaximumInFlight = 16
    /// 10 s.
    public static let defaultTimeout = Duration.seconds(10)

    public init(
        socket: String? = nil,
        requestPath: String = UpstreamConfiguration.defaultRequestPath,
        maximumInFlight: Int = UpstreamConfiguration.defaultMaximumInFlight,
        timeout: Duration = UpstreamConfiguration.defaultTimeout,
        retry: UpstreamRetryPolicy = UpstreamRetryPolicy(),
        signingSecret: SecretConfiguration? = nil
    ) {
        self.socket = socket
        self.requestPath = requestPath
        self.maximumInFlight = maximumInFlight
        self.timeout = timeout
        self.retry = retry
        self.signingSecret = signingSecret
    }
}
