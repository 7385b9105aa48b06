extension HookgateConfiguration {
    /// Limits on the configuration file's JSON: 1 MiB and 16 levels are far beyond any real configuration.
    public static let documentLimits = JSONValueParser.Limits(maximumDepth: 16, maximumBytes: 1 << 20)

    /// The top-level keys of the file.
    static let keys = [
        "mode", "listen", "tls", "endpoints", "store", "limits", "admin", "logging", "upstream", "stripe",
        "reconcile", "commands",
    ]

    /// Decodes a configuration file strictly: an unknown key, a wrong type or a bad value anywhere is an
    /// issue naming its JSON path, and every issue is reported. Cross-field rules are left to ``validate()``
    /// so that environment overrides can be applied in between.
    /// - Throws: ``ConfigurationError`` with every issue found.
    public static func decode(_ json: [UInt8]) throws(ConfigurationError) -> HookgateConfiguration {
        let document: JSONValue
        do {
            document = try JSONValueParser.parse(json, limits: Self.documentLimits)
        } catch {
            throw ConfigurationError(ConfigurationIssue(code: .invalidJSON, path: .root, reason: error.description))
        }
        var reader = ConfigurationReader()
        let configuration = Self.decode(document, reader: &reader)
        guard reader.issues.isEmpty else { throw ConfigurationError(issues: reader.issues) }
        return configuration
    }

    /// Decodes the document, recording issues in `reader` and using defaults where values are bad.
    static func decode(_ document: JSONValue, reader: inout ConfigurationReader) -> HookgateConfiguration {
        var configuration = HookgateConfiguration(endpoints: [])
        guard let fields = reader.fields(of: document, at: .root, keys: Self.keys) else { return configuration }
        configuration.mode = reader.choice("mode", in: fields) ?? configuration.mode
        if let elements = reader.array("listen", in: fields) {
            configuration.listen = elements.compactMap { element in
                reader.parsed(element.value, at: element.path, problem: ListenAddress.expectedForm) {
                    ListenAddress(parsing: $0)
                }
            }
        }
        if let tls = reader.object("tls", in: fields, keys: ["certificate", "private_key"]) {
            let certificate = reader.require("certificate", in: tls) ? reader.string("certificate", in: tls) : nil
            let key = reader.require("private_key", in: tls) ? reader.string("private_key", in: tls) : nil
            if let certificate, let key {
                configuration.tls = TLSFiles(certificateChainPath: certificate, privateKeyPath: key)
            }
        }
        if reader.require("endpoints", in: fields), let elements = reader.array("endpoints", in: fields) {
            configuration.endpoints = elements.compactMap {
                EndpointConfiguration.decode($0.value, at: $0.path, reader: &reader)
            }
        }
        if let store = reader.object("store", in: fields, keys: ["backend", "path", "retention_days", "postgres"]) {
            configuration.store.backend = reader.choice("backend", in: store) ?? configuration.store.backend
            configuration.store.path = reader.string("path", in: store)
            configuration.store.retentionDays =
                reader.integer("retention_days", in: store, range: 1...36_500) ?? configuration.store.retentionDays
            if let postgres = reader.object(
                "postgres",
                in: store,
                keys: ["url", "password_env", "password_file", "pool_size"]
            ) {
                var settings = PostgresStoreConfiguration()
                settings.url = reader.string("url", in: postgres)
                settings.passwordEnvironmentVariable = reader.string("password_env", in: postgres)
                settings.passwordFile = reader.string("password_file", in: postgres)
                settings.poolSize = reader.integer("pool_size", in: postgres, range: 3...200) ?? settings.poolSize
                configuration.store.postgres = settings
            }
        }
        if let value = fields.values["limits"] {
            configuration.limits = GatewayLimits.decode(value, at: fields.path("limits"), reader: &reader)
        }
        if let value = fields.values["admin"] {
            (configuration.admin, configuration.adminHTTP) = AdminConfiguration.decode(
                value,
                at: fields.path("admin"),
                reader: &reader
            )
        }
        if let logging = reader.object("logging", in: fields, keys: ["format", "level"]) {
            configuration.logging.format = reader.choice("format", in: logging) ?? configuration.logging.format
            configuration.logging.level = reader.choice("level", in: logging) ?? configuration.logging.level
        }
        if let value = fields.values["upstream"] {
            configuration.upstream = UpstreamConfiguration.decode(value, at: fields.path("upstream"), reader: &reader)
        }
        if let value = fields.values["stripe"] {
            configuration.stripe = StripeAPIConfiguration.decode(value, at: fields.path("stripe"), reader: &reader)
        }
        if let value = fields.values["reconcile"] {
            configuration.reconcile = ReconcileConfiguration.decode(
                value,
                at: fields.path("reconcile"),
                reader: &reader
            )
        }
        if let value = fields.values["commands"] {
            configuration.commands = CommandsConfiguration.decode(value, at: fields.path("commands"), reader: &reader)
        }
        return configuration
    }
}
