/// The contents of a Hookgate configuration file (`Config/hookgate.json`), decoded and checked but not yet
/// resolved: secrets are still references, and paths left to the data directory are `nil`.
///
/// Decode with ``decode(_:)`` (strict: unknown keys and bad values are errors naming their JSON path), apply
/// environment overrides, then ``validate()`` the cross-field rules. Every property documents its key and
/// its default.
public struct HookgateConfiguration: Sendable, Hashable {
    /// `mode`: `development` or `production`. Default: ``DeploymentMode/development``.
    public var mode: DeploymentMode
    /// `listen`: the HTTPS listeners, `host:port` strings (`[v6]:port` for IPv6), at least one.
    /// Default: `["127.0.0.1:8443"]`.
    public var listen: [ListenAddress]
    /// `tls`: `{"certificate": PATH, "private_key": PATH}`. Default (`nil`): ``developmentTLSFiles``;
    /// production mode requires it to be set.
    public var tls: TLSFiles?
    /// `endpoints`: the webhook endpoints, at least one. Required.
    public var endpoints: [EndpointConfiguration]
    /// `store`: database path and retention. Default: `<data dir>/hookgate.sqlite`, 30 days.
    public var store: StoreConfiguration
    /// `limits`: sizes and timeouts (keys `max_connections`, `max_header_bytes`, `max_body_bytes`,
    /// `max_decompressed_bytes`, `max_decompression_ratio`, `header_read_timeout_ms`, `body_read_timeout_ms`,
    /// `idle_timeout_ms`, `shutdown_grace_period_ms`). Defaults: those of ``GatewayLimits``.
    public var limits: GatewayLimits
    /// `admin`: the admin listener. Default: ``AdminConfiguration/standard`` (`<data dir>/admin.sock`, 0600).
    public var admin: AdminConfiguration
    /// `admin.http_listen` and its keys: the token-guarded HTTP admin listener for browsers, besides ``admin``.
    /// Default (`nil`): none.
    public var adminHTTP: AdminHTTPConfiguration?
    /// `logging`: `{"format": "text"|"json", "level": "info"}`. Default: text at info.
    public var logging: LoggingSettings
    /// `upstream`: the payment system's Unix socket and how forwards are retried. Default: every default of
    /// ``UpstreamConfiguration`` (`<data dir>/payments.sock`, `/events`).
    public var upstream: UpstreamConfiguration
    /// `stripe`: Stripe's API (`api_base`, `api_key_env`, `api_key_file`), for normalizing thin events.
    /// Default: every default of ``StripeAPIConfiguration`` (`https://api.stripe.com`, key from `STRIPE_API_KEY`).
    public var stripe: StripeAPIConfiguration
    /// `reconcile`: `interval`, how often `serve` runs `hookgate reconcile`. Default: never.
    public var reconcile: ReconcileConfiguration
    /// `commands`: the socket the payment system posts commands to Stripe on (`socket`, `socket_mode`).
    /// Default: `<data dir>/commands.sock`, mode 0600.
    public var commands: CommandsConfiguration

    /// The development certificate and key that `serve` generates when missing.
    public static let developmentTLSFiles = TLSFiles(
        certificateChainPath: "certs/dev-cert.pem",
        privateKeyPath: "certs/dev-key.pem"
    )

    /// The default listener, `127.0.0.1:8443`.
    public static let defaultListenAddress = ListenAddress(host: "127.0.0.1", port: 8443)

    public init(
        mode: DeploymentMode = .development,
        listen: [ListenAddress] = [HookgateConfiguration.defaultListenAddress],
        tls: TLSFiles? = nil,
        endpoints: [EndpointConfiguration],
        store: StoreConfiguration = StoreConfiguration(),
        limits: GatewayLimits = GatewayLimits(),
        admin: AdminConfiguration = .standard,
        adminHTTP: AdminHTTPConfiguration? = nil,
        logging: LoggingSettings = LoggingSettings(),
        upstream: UpstreamConfiguration = UpstreamConfiguration(),
        stripe: StripeAPIConfiguration = StripeAPIConfiguration(),
        reconcile: ReconcileConfiguration = ReconcileConfiguration(),
        commands: CommandsConfiguration = CommandsConfiguration()
    ) {
        self.mode = mode
        self.listen = listen
        self.tls = tls
        self.endpoints = endpoints
        self.store = store
        self.limits = limits
        self.admin = admin
        self.adminHTTP = adminHTTP
        self.logging = logging
        self.upstream = upstream
        self.stripe = stripe
        self.reconcile = reconcile
        self.commands = commands
    }

    /// The certificate and key in effect: ``tls``, or the development pair.
    public var effectiveTLS: TLSFiles { self.tls ?? Self.developmentTLSFiles }
}
