import HookgateCore

/// The environment variables that override the configuration file's scalars. Their names and defaults are
/// a public contract (documented in `Config/README.md`). An empty value counts as unset.
struct EnvironmentOverrides {
    /// Names the configuration file (after `--config`, before `Config/hookgate.json`).
    static let configName = "HOOKGATE_CONFIG"
    /// The payment system's Unix socket: replaces `upstream.socket`.
    static let upstreamSocketName = "HOOKGATE_UPSTREAM_SOCKET"
    /// `host:port` (several separated by commas): replaces `listen`.
    static let listenName = "HOOKGATE_LISTEN"
    /// The data directory: holds the store and admin socket unless the file places them.
    static let dataDirectoryName = "HOOKGATE_DATA_DIR"
    /// The admin Unix socket's path: replaces `admin` with a socket there.
    static let adminSocketName = "HOOKGATE_ADMIN_SOCKET"
    /// The commands socket's path: replaces `commands.socket`.
    static let commandsSocketName = "HOOKGATE_COMMANDS_SOCKET"
    /// `host:port`: replaces `admin.http_listen` (turning the token-guarded HTTP admin listener on).
    static let adminHTTPListenName = "HOOKGATE_ADMIN_HTTP_LISTEN"
    /// `text` or `json`: replaces `logging.format`.
    static let logFormatName = "HOOKGATE_LOG_FORMAT"
    /// `trace` ... `critical`: replaces `logging.level`.
    static let logLevelName = "HOOKGATE_LOG_LEVEL"
    /// `development` or `production`: replaces `mode`.
    static let modeName = "HOOKGATE_MODE"
    /// A `postgres://` or `postgresql://` URL: selects the PostgreSQL backend with that database (`store.backend`
    /// and `store.postgres.url`), whatever the file says.
    static let databaseURLName = "HOOKGATE_DATABASE_URL"
    /// Stripe's API base URL (`https://...`, or `http://` for a loopback host): replaces `stripe.api_base`.
    static let stripeAPIBaseName = "HOOKGATE_STRIPE_API_BASE"

    /// The data directory when `HOOKGATE_DATA_DIR` is unset.
    static let defaultDataDirectory = "./data"
    /// The store's file name inside the data directory.
    static let storeFileName = "hookgate.sqlite"
    /// The admin socket's file name inside the data directory.
    static let adminSocketFileName = "admin.sock"
    /// The commands socket's file name inside the data directory.
    static let commandsSocketFileName = "commands.sock"
    /// The payment system's socket file name inside the data directory.
    static let upstreamSocketFileName = "payments.sock"

    var listen: [ListenAddress]?
    var dataDirectory = Self.defaultDataDirectory
    var adminSocket: String?
    var adminHTTPListen: ListenAddress?
    var commandsSocket: String?
    var upstreamSocket: String?
    var logFormat: LogFormat?
    var logLevel: LogLevel?
    var mode: DeploymentMode?
    var databaseURL: String?
    var stripeAPIBase: String?

    /// Reads the overrides from `environment`, reporting each bad value under its variable's name.
    init(environment: [String: String], issues: inout [ConfigurationIssue]) {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        func report(_ name: String, _ reason: String) {
            issues.append(ConfigurationIssue(code: .invalidEnvironmentOverride, location: name, reason: reason))
        }
        func choice<Value: RawRepresentable & CaseIterable>(_ name: String) -> Value? where Value.RawValue == String {
            guard let text = value(name) else { return nil }
            guard let choice = Value(rawValue: text) else {
                report(name, "must be one of \(Value.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
                return nil
            }
            return choice
        }
        if let text = value(Self.listenName) {
            let addresses = text.split(separator: ",", omittingEmptySubsequences: false).map {
                ListenAddress(parsing: String($0))
            }
            if addresses.contains(where: { $0 == nil }) {
                report(Self.listenName, ListenAddress.expectedForm)
            } else {
                self.listen = addresses.compactMap { $0 }
            }
        }
        self.dataDirectory = value(Self.dataDirectoryName) ?? Self.defaultDataDirectory
        self.adminSocket = value(Self.adminSocketName)
        self.commandsSocket = value(Self.commandsSocketName)
        if let text = value(Self.adminHTTPListenName) {
            self.adminHTTPListen = ListenAddress(parsing: text)
            if self.adminHTTPListen == nil { report(Self.adminHTTPListenName, ListenAddress.expectedForm) }
        }
        self.upstreamSocket = value(Self.upstreamSocketName)
        self.logFormat = choice(Self.logFormatName)
        self.logLevel = choice(Self.logLevelName)
        self.mode = choice(Self.modeName)
        if let url = value(Self.databaseURLName) {
            if PostgresStoreConfiguration.isPostgresURL(url) {
                self.databaseURL = url
            } else {
                report(Self.databaseURLName, "must be a postgres:// or postgresql:// URL")
            }
        }
        if let base = value(Self.stripeAPIBaseName) {
            if let problem = StripeAPIConfiguration.apiBaseProblem(base) {
                report(Self.stripeAPIBaseName, problem)
            } else {
                self.stripeAPIBase = StripeAPIConfiguration.trimmedAPIBase(base)
            }
        }
    }

    /// `configuration` with the overrides applied and the store, admin, commands and upstream socket paths it leaves
    /// unset placed in the data directory.
    func applied(to configuration: HookgateConfiguration) -> HookgateConfiguration {
        var configuration = configuration
        if let listen { configuration.listen = listen }
        if let logFormat { configuration.logging.format = logFormat }
        if let logLevel { configuration.logging.level = logLevel }
        if let mode { configuration.mode = mode }
        if let stripeAPIBase { configuration.stripe.apiBase = stripeAPIBase }
        if let databaseURL {
            configuration.store.backend = .postgres
            configuration.store.postgres.url = databaseURL
            configuration.store.postgres.urlIsFromEnvironment = true
        }
        if let adminSocket {
            var mode: UInt16 = 0o600
            if case .unixSocket(_, let configured) = configuration.admin { mode = configured }
            configuration.admin = .unixSocket(path: adminSocket, mode: mode)
        }
        if let adminHTTPListen {
            if configuration.adminHTTP == nil {
                configuration.adminHTTP = AdminHTTPConfiguration(listen: adminHTTPListen)
            } else {
                configuration.adminHTTP?.listen = adminHTTPListen
            }
        }
        if case .unixSocket(nil, let mode) = configuration.admin {
            configuration.admin = .unixSocket(path: self.adminSocketPath, mode: mode)
        }
        configuration.commands.socketPath =
            self.commandsSocket ?? configuration.commands.socketPath ?? self.defaultCommandsSocketPath
        if configuration.store.path == nil {
            configuration.store.path = self.storePath
        }
        configuration.upstream.socket =
            self.upstreamSocket ?? configuration.upstream.socket ?? self.defaultUpstreamSocketPath
        return configuration
    }

    /// The store's path when the file leaves it unset: `<data dir>/hookgate.sqlite`.
    var storePath: String { self.inDataDirectory(Self.storeFileName) }

    /// The admin socket's path when neither the file nor `HOOKGATE_ADMIN_SOCKET` sets it: `<data dir>/admin.sock`.
    var adminSocketPath: String { self.inDataDirectory(Self.adminSocketFileName) }

    /// The commands socket's path when neither `HOOKGATE_COMMANDS_SOCKET` nor the file sets it:
    /// `<data dir>/commands.sock`.
    var defaultCommandsSocketPath: String { self.inDataDirectory(Self.commandsSocketFileName) }

    /// The payment system's socket when `HOOKGATE_UPSTREAM_SOCKET` is unset: `<data dir>/payments.sock`
    /// (`hookgate sink` listens there by default, so `serve` and `sink` meet with no flags).
    var defaultUpstreamSocketPath: String { self.inDataDirectory(Self.upstreamSocketFileName) }

    private func inDataDirectory(_ name: String) -> String {
        self.dataDirectory.hasSuffix("/") ? self.dataDirectory + name : self.dataDirectory + "/" + name
    }
}
