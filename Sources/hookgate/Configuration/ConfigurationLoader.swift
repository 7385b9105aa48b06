import Glibc
import HookgateCore
import HookgateServer
import HookgateStore

/// Finds, reads, overrides, validates and resolves the configuration of `hookgate serve`.
///
/// The file is `--config`, else `HOOKGATE_CONFIG`, else `Config/hookgate.json`. Environment overrides
/// (see ``EnvironmentOverrides``) are applied before validation, then secrets are read and keyrings built.
/// Every problem is collected into one ``ConfigurationError``, each with its JSON path or variable name.
struct ConfigurationLoader {
    /// The configuration file used when neither `--config` nor `HOOKGATE_CONFIG` names one.
    static let defaultPath = "Config/hookgate.json"

    /// Makes the secret for an unset variable in development mode (random by default; fixed in tests).
    var generateSecret: () -> Secret = GeneratedDevelopmentSecret.randomSecret
    /// Makes the HTTP admin listener's token when none is configured in development mode (random by default).
    var generateAdminToken: () -> Secret = AdminAccessToken.random

    /// The file to read: `configPath`, else `HOOKGATE_CONFIG`, else ``defaultPath``.
    static func locate(configPath: String?, environment: [String: String]) -> String {
        if let configPath { return configPath }
        if let named = environment[EnvironmentOverrides.configName], !named.isEmpty { return named }
        return Self.defaultPath
    }

    /// Loads the configuration.
    /// - Parameters:
    ///   - configPath: `--config`, if given.
    ///   - environment: the process environment (overrides, secrets, `HOOKGATE_CONFIG`).
    /// - Throws: ``ConfigurationError`` listing every problem; it never contains a secret.
    func load(configPath: String?, environment: [String: String]) throws(ConfigurationError) -> LoadedConfiguration {
        let sourcePath = Self.locate(configPath: configPath, environment: environment)
        var issues: [ConfigurationIssue] = []
        let overrides = EnvironmentOverrides(environment: environment, issues: &issues)
        let configuration = overrides.applied(to: try Self.read(sourcePath, issues: issues))
        issues += configuration.validationIssues()
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        return try self.resolve(
            configuration,
            sourcePath: sourcePath,
            overrides: overrides,
            environment: environment
        )
    }

    /// The store `serve` would open: the file's `store.backend`, its `store.path`, else
    /// `<data dir>/hookgate.sqlite`, and its retention. Reads no secret and checks nothing else, so the
    /// commands that inspect the store work without the endpoints' secrets. When no file is named (by
    /// `configPath` or `HOOKGATE_CONFIG`) and ``defaultPath`` does not exist, the data directory's store with
    /// the default retention.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or decoded, or the store settings are invalid.
    static func storeConfiguration(
        configPath: String?,
        environment: [String: String]
    ) throws(ConfigurationError) -> DeliveryStoreConfiguration {
        let (configuration, overrides) = try Self.unresolvedConfiguration(
            configPath: configPath,
            environment: environment
        )
        let configured = configuration?.store ?? StoreConfiguration()
        var issues: [ConfigurationIssue] = []
        let store = Self.storeConfiguration(
            configured,
            defaultPath: overrides.storePath,
            environment: environment,
            issues: &issues
        )
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        return store
    }

    /// The file's configuration with the environment's overrides applied, neither validated nor resolved (no
    /// secret is read), and the overrides, for the commands that need one setting of `serve`'s; problems in the
    /// overrides are left to `serve`. The configuration is nil when no file is named (by `configPath` or
    /// `HOOKGATE_CONFIG`) and ``defaultPath`` does not exist.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or decoded.
    static func unresolvedConfiguration(
        configPath: String?,
        environment: [String: String]
    ) throws(ConfigurationError) -> (configuration: HookgateConfiguration?, overrides: EnvironmentOverrides) {
        let sourcePath = Self.locate(configPath: configPath, environment: environment)
        var ignored: [ConfigurationIssue] = []
        let overrides = EnvironmentOverrides(environment: environment, issues: &ignored)
        guard sourcePath != Self.defaultPath || access(sourcePath, F_OK) == 0 else { return (nil, overrides) }
        return (overrides.applied(to: try Self.read(sourcePath, issues: [])), overrides)
    }

    /// Reads and decodes the configuration file; `issues` found before are reported with its own.
    static func read(
        _ sourcePath: String,
        issues: [ConfigurationIssue]
    ) throws(ConfigurationError) -> HookgateConfiguration {
        let bytes: [UInt8]
        do {
            // InputFile reads standard input for "-"; the configuration is always a file (serve re-reads it).
            bytes = try InputFile.read(
                sourcePath == "-" ? "./-" : sourcePath,
                limit: HookgateConfiguration.documentLimits.maximumBytes,
                what: "configuration file"
            )
        } catch {
            throw ConfigurationError(
                issues: [ConfigurationIssue(code: .unreadableFile, location: sourcePath, reason: error.message)]
                    + issues
            )
        }
        do {
            return try HookgateConfiguration.decode(bytes)
        } catch {
            throw ConfigurationError(issues: error.issues + issues)
        }
    }

    /// Reads secrets, builds keyrings, checks certificate files (production) and the store's rules.
    private func resolve(
        _ configuration: HookgateConfiguration,
        sourcePath: String,
        overrides: EnvironmentOverrides,
        environment: [String: String]
    ) throws(ConfigurationError) -> LoadedConfiguration {
        var issues: [ConfigurationIssue] = []
        var resolver = SecretResolver(
            mode: configuration.mode,
            environment: environment,
            generateSecret: self.generateSecret
        )
        var endpoints: [GatewayEndpoint] = []
        var endpointSecrets: [String: [LabelledSecret]] = [:]
        for (index, endpoint) in configuration.endpoints.enumerated() {
            let path = JSONPath.root.appending("endpoints").appending(index: index)
            var secrets: [LabelledSecret] = []
            for (secretIndex, secret) in endpoint.secrets.enumerated() {
                let secretPath = path.appending("secrets").appending(index: secretIndex)
                if let resolved = resolver.resolve(secret, endpoint: endpoint.name, at: secretPath, issues: &issues) {
                    secrets.append(resolved)
                }
            }
            guard secrets.count == endpoint.secrets.count, let scheme = SignatureSchemes.named(endpoint.scheme) else {
                continue
            }
            endpointSecrets[endpoint.name] = secrets
            do {
                endpoints.append(
                    GatewayEndpoint(
                        name: endpoint.name,
                        path: endpoint.path,
                        scheme: scheme,
                        keyring: try Keyring(scheme: scheme, secrets: secrets),
                        tolerance: endpoint.tolerance,
                        expectedMode: endpoint.expectedMode,
                        allowedSources: endpoint.allowedSources,
                        maximumBodyBytes: endpoint.maximumBodyBytes ?? configuration.limits.maximumBodyBytes,
                        forwardMode: endpoint.forwardMode,
                        normalization: endpoint.normalizationOptions
                    )
                )
            } catch {
                let secretIndex = endpoint.secrets.firstIndex { $0.label == error.label } ?? 0
                issues.append(
                    ConfigurationIssue(
                        code: .unusableSecret,
                        path: path.appending("secrets").appending(index: secretIndex),
                        reason: "not usable with scheme \(endpoint.scheme): \(error.reason)"
                    )
                )
            }
        }
        if configuration.mode == .production {
            issues += Self.unreadableCertificateIssues(configuration.effectiveTLS, at: JSONPath.root.appending("tls"))
        }
        let store = Self.storeConfiguration(
            configuration.store,
            defaultPath: overrides.storePath,
            environment: environment,
            issues: &issues
        )
        let upstream = Self.upstreamSettings(
            configuration.upstream,
            defaultSocketPath: overrides.defaultUpstreamSocketPath,
            resolver: &resolver,
            issues: &issues
        )
        let adminHTTP = configuration.adminHTTP.flatMap { configured in
            AdminTokenResolver(
                mode: configuration.mode,
                environment: environment,
                generateToken: self.generateAdminToken
            )
            .resolve(configured, issues: &issues)
        }
        let stripeAPI = StripeAPIKeyResolver(environment: environment).resolve(configuration.stripe, issues: &issues)
        if let files = configuration.adminHTTP?.tls {
            issues += Self.unreadableCertificateIssues(
                files,
                at: JSONPath.root.appending("admin").appending("http_tls")
            )
        }
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
        return LoadedConfiguration(
            settings: GatewaySettings(
                listen: configuration.listen,
                tls: configuration.effectiveTLS,
                endpoints: endpoints,
                limits: configuration.limits,
                admin: Self.adminListenAddress(configuration.admin, defaultSocketPath: overrides.adminSocketPath)
            ),
            adminHTTP: adminHTTP,
            upstream: upstream,
            stripeAPI: stripeAPI,
            store: store,
            logging: configuration.logging,
            mode: configuration.mode,
            endpointSecrets: endpointSecrets,
            generatedSecrets: resolver.generated,
            sourcePath: sourcePath,
            dataDirectory: overrides.dataDirectory,
            effective: configuration
        )
    }

    /// The upstream settings, with the signing secret (if any) read and prepared for Standard Webhooks.
    private static func upstreamSettings(
        _ configured: UpstreamConfiguration,
        defaultSocketPath: String,
        resolver: inout SecretResolver,
        issues: inout [ConfigurationIssue]
    ) -> UpstreamSettings {
        var signingKeyring: Keyring?
        if let secret = configured.signingSecret {
            let path = JSONPath.root.appending("upstream").appending("signing_secret")
            if let resolved = resolver.resolve(secret, endpoint: "upstream", at: path, issues: &issues) {
                do {
                    signingKeyring = try Keyring(scheme: StandardWebhooksSignatureScheme(), secrets: [resolved])
                } catch {
                    issues.append(
                        ConfigurationIssue(
                            code: .unusableSecret,
                            path: path,
                            reason: "not usable with scheme standard-webhooks: \(error.reason)"
                        )
                    )
                }
            }
        }
        return UpstreamSettings(
            socketPath: configured.socket ?? defaultSocketPath,
            requestPath: configured.requestPath,
            maximumInFlight: configured.maximumInFlight,
            timeout: configured.timeout,
            retry: configured.retry,
            signingKeyring: signingKeyring
        )
    }

    /// Issues for certificate or key files that cannot be read (production has no generated fallback, nor has
    /// the HTTP admin listener); `path` is where the files are configured.
    private static func unreadableCertificateIssues(_ tls: TLSFiles, at path: JSONPath) -> [ConfigurationIssue] {
        [("certificate", tls.certificateChainPath), ("private_key", tls.privateKeyPath)].compactMap { key, file in
            guard access(file, R_OK) != 0 else { return nil }
            return ConfigurationIssue(
                code: .unreadableFile,
                path: path.appending(key),
                reason: "cannot read '\(file)': \(String(cString: strerror(errno)))"
            )
        }
    }

    /// The store's configuration, checked by the store's own rules (retention of at least 3 days, a usable
    /// PostgreSQL URL), with the PostgreSQL password read from its variable or file.
    private static func storeConfiguration(
        _ configured: StoreConfiguration,
        defaultPath: String,
        environment: [String: String],
        issues: inout [ConfigurationIssue]
    ) -> DeliveryStoreConfiguration {
        let retention = RetentionPolicy(window: .seconds(configured.retentionDays * 86_400))
        let storePath = JSONPath.root.appending("store")
        let store: DeliveryStoreConfiguration
        let location: String
        switch configured.backend {
        case .sqlite:
            store = DeliveryStoreConfiguration(
                backend: .sqlite,
                location: configured.path ?? defaultPath,
                retention: retention
            )
            location = storePath.appending("path").description
        case .postgres:
            let postgres = configured.postgres
            guard postgres.url != nil else {
                issues.append(
                    ConfigurationIssue(
                        code: .missingKey,
                        path: storePath.appending("postgres").appending("url"),
                        reason: #"required when store.backend is "postgres" (or set HOOKGATE_DATABASE_URL)"#
                    )
                )
                return DeliveryStoreConfiguration(backend: .postgres, location: "", retention: retention)
            }
            store = DeliveryStoreConfiguration(
                backend: .postgres,
                location: postgres.url ?? "",
                retention: retention,
                password: Self.postgresPassword(postgres, environment: environment, issues: &issues),
                poolSize: postgres.poolSize
            )
            location =
                postgres.urlIsFromEnvironment
                ? EnvironmentOverrides.databaseURLName : storePath.appending("postgres").appending("url").description
        }
        do {
            try store.validate()
        } catch {
            let isRetention = error.detail?.hasPrefix("retention") == true
            issues.append(
                ConfigurationIssue(
                    code: .invalidValue,
                    location: isRetention ? storePath.appending("retention_days").description : location,
                    reason: error.detail ?? error.description
                )
            )
        }
        return store
    }

    /// The PostgreSQL password from `password_env` or `password_file`; nil when neither is set (the URL's, if
    /// any, is used) or it cannot be read (reported, never quoting it).
    private static func postgresPassword(
        _ postgres: PostgresStoreConfiguration,
        environment: [String: String],
        issues: inout [ConfigurationIssue]
    ) -> String? {
        let path = JSONPath.root.appending("store").appending("postgres")
        if let name = postgres.passwordEnvironmentVariable {
            guard let value = environment[name], !value.isEmpty else {
                issues.append(
                    ConfigurationIssue(
                        code: .unusableSecret,
                        path: path.appending("password_env"),
                        reason: "environment variable \(name) is not set"
                    )
                )
                return nil
            }
            return value
        }
        if let file = postgres.passwordFile {
            do {
                return try SecretResolver.read(file)
            } catch {
                issues.append(
                    ConfigurationIssue(
                        code: .unreadableFile,
                        path: path.appending("password_file"),
                        reason: error.message
                    )
                )
            }
        }
        return nil
    }

    private static func adminListenAddress(_ admin: AdminConfiguration, defaultSocketPath: String) -> AdminListenAddress
    {
        switch admin {
        case .unixSocket(let path, let mode):
            .unixSocket(path: path ?? defaultSocketPath, mode: mode)
        case .tcp(let address, _): .tcp(address)
        case .disabled: .disabled
        }
    }
}
