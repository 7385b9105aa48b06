import HookgateCore
import HookgateStore

/// Everything `hookgate serve` needs, resolved from the configuration file, the environment and the secret
/// sources. Produced by ``ConfigurationLoader``; nothing here is read again until a reload.
struct LoadedConfiguration: Sendable {
    /// What the ingress server runs with: listeners, TLS files, endpoints with their keyrings, limits, admin.
    var settings: GatewaySettings
    /// The token-guarded HTTP admin listener (`admin.http_listen`) with its token; `nil` when off.
    var adminHTTP: AdminHTTPSettings?
    /// The payment system's socket, request path, concurrency, timeout, retry policy and signing key.
    var upstream: UpstreamSettings
    /// Stripe's API with its key, for normalizing thin events (and `reconcile`); `nil` without a key.
    var stripeAPI: StripeAPISettings?
    /// The store's backend, location and retention, validated by the store's own rules.
    var store: DeliveryStoreConfiguration
    /// Log format and level.
    var logging: LoggingSettings
    /// Development (fallbacks allowed) or production.
    var mode: DeploymentMode
    /// Each endpoint's resolved secrets (labels, expiries), for `hookgate verify --delivery`'s diagnosis.
    var endpointSecrets: [String: [LabelledSecret]]
    /// Secrets generated for unset variables (development mode only); `serve` prints each once with a warning.
    var generatedSecrets: [GeneratedDevelopmentSecret]
    /// The configuration file that was read.
    var sourcePath: String
    /// The data directory (`HOOKGATE_DATA_DIR`, default `./data`); `serve` creates it when missing.
    var dataDirectory: String
    /// The configuration after environment overrides and data-directory defaults, secrets unresolved: what
    /// `check-config` prints (redacted).
    var effective: HookgateConfiguration
}
