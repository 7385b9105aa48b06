extension HookgateConfiguration {
    /// What a literal secret's value is shown as.
    public static let redactedValue = "<redacted>"

    /// The configuration in the file's schema with every default written out and every literal secret
    /// replaced by ``redactedValue``: what `hookgate check-config` prints. Unset optional paths are left out.
    public var redactedJSON: JSONValue {
        var members: [JSONValue.Member] = []
        func add(_ key: String, _ value: JSONValue) { members.append(JSONValue.Member(key: key, value: value)) }
        add("mode", .string(self.mode.rawValue))
        add("listen", .array(self.listen.map { .string($0.description) }))
        add(
            "tls",
            Self.object([
                ("certificate", .string(self.effectiveTLS.certificateChainPath)),
                ("private_key", .string(self.effectiveTLS.privateKeyPath)),
            ])
        )
        add("endpoints", .array(self.endpoints.map(Self.json(for:))))
        var store: [(String, JSONValue)] = [("backend", .string(self.store.backend.rawValue))]
        if let path = self.store.path, self.store.backend == .sqlite { store.append(("path", .string(path))) }
        store.append(("retention_days", .integer(Int64(self.store.retentionDays))))
        if self.store.backend == .postgres || self.store.postgres != PostgresStoreConfiguration() {
            let postgres = self.store.postgres
            var settings: [(String, JSONValue)] = []
            if let url = postgres.url { settings.append(("url", .string(PostgresStoreConfiguration.redacting(url)))) }
            if let name = postgres.passwordEnvironmentVariable { settings.append(("password_env", .string(name))) }
            if let file = postgres.passwordFile { settings.append(("password_file", .string(file))) }
            settings.append(("pool_size", .integer(Int64(postgres.poolSize))))
            store.append(("postgres", Self.object(settings)))
        }
        add("store", Self.object(store))
        add("limits", Self.json(for: self.limits))
        add("admin", Self.json(for: self.admin, http: self.adminHTTP))
        add(
            "logging",
            Self.object([
                ("format", .string(self.logging.format.rawValue)), ("level", .string(self.logging.level.rawValue)),
            ])
        )
        add("upstream", Self.json(for: self.upstream))
        add("stripe", self.stripe.json)
        add("reconcile", self.reconcile.json)
        add("commands", self.commands.json)
        return .object(members)
    }

    private static func object(_ members: [(String, JSONValue)]) -> JSONValue {
        .object(members.map { JSONValue.Member(key: $0.0, value: $0.1) })
    }

    private static func json(for endpoint: EndpointConfiguration) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(endpoint.name)), ("path", .string(endpoint.path)), ("scheme", .string(endpoint.scheme)),
            ("secrets", .array(endpoint.secrets.map(Self.json(for:)))),
        ]
        if let past = endpoint.tolerance.past, let future = endpoint.tolerance.future {
            members.append(
                ("tolerance", Self.object([("past_seconds", .integer(past)), ("future_seconds", .integer(future))]))
            )
        } else {
            members.append(("tolerance", Self.object([("disabled", .bool(true))])))
        }
        members.append(("mode", .string(endpoint.expectedMode.rawValue)))
        members.append(("allowed_sources", .array(endpoint.allowedSources.map { .string($0.description) })))
        if let bodyLimit = endpoint.maximumBodyBytes { members.append(("max_body_bytes", .integer(Int64(bodyLimit)))) }
        members.append(("forward", .string(endpoint.forwardMode.rawValue)))
        members.append(("forward_unmapped", .bool(endpoint.forwardUnmapped)))
        members.append(("order_id_metadata_key", .string(endpoint.orderIdMetadataKey)))
        // The overrides only (the default table is documented), so the printed file decodes to the same value.
        let mapping = endpoint.mappingOverrides.sorted { $0.key < $1.key }
        members.append(("mapping", Self.object(mapping.map { ($0.key, .string($0.value.configurationValue)) })))
        return Self.object(members)
    }

    private static func json(for secret: SecretConfiguration) -> JSONValue {
        var members: [(String, JSONValue)] = [("label", .string(secret.label))]
        switch secret.source {
        case .environment(let name): members.append(("env", .string(name)))
        case .file(let path): members.append(("file", .string(path)))
        case .literal: members.append(("value", .string(Self.redactedValue)))
        }
        if let expiresAt = secret.expiresAt { members.append(("expires_at", .string(UnixTime.rfc3339(expiresAt)))) }
        return Self.object(members)
    }

    private static func json(for limits: GatewayLimits) -> JSONValue {
        let sizes = GatewayLimits.sizeKeys.map { ($0.key, JSONValue.integer(Int64(limits[keyPath: $0.property]))) }
        let durations = GatewayLimits.durationKeys.map { key in
            let (seconds, attoseconds) = limits[keyPath: key.property].components
            return (key.key, JSONValue.integer(seconds * 1_000 + attoseconds / 1_000_000_000_000_000))
        }
        return Self.object(sizes + durations)
    }

    private static func json(for upstream: UpstreamConfiguration) -> JSONValue {
        func milliseconds(_ duration: Duration) -> JSONValue {
            let (seconds, attoseconds) = duration.components
            return .integer(seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
        }
        var members: [(String, JSONValue)] = []
        if let socket = upstream.socket { members.append(("socket", .string(socket))) }
        members += [
            ("path", .string(upstream.requestPath)), ("max_in_flight", .integer(Int64(upstream.maximumInFlight))),
            ("timeout_ms", milliseconds(upstream.timeout)),
            (
                "retry",
                Self.object([
                    ("base_ms", milliseconds(upstream.retry.base)),
                    ("cap_seconds", .integer(upstream.retry.cap.components.seconds)),
                    ("max_attempts", .integer(Int64(upstream.retry.maximumAttempts))),
                    ("max_age_seconds", .integer(upstream.retry.maximumAge.components.seconds)),
                ])
            ),
        ]
        if let secret = upstream.signingSecret { members.append(("signing_secret", Self.json(for: secret))) }
        return Self.object(members)
    }

    private static func json(for admin: AdminConfiguration, http: AdminHTTPConfiguration?) -> JSONValue {
        var members: [(String, JSONValue)]
        switch admin {
        case .unixSocket(let path, let mode):
            let octal = String(mode, radix: 8)
            let modeText = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
            members = (path.map { [("socket", JSONValue.string($0))] } ?? []) + [("socket_mode", .string(modeText))]
        case .tcp(let address, let allowNonLoopback):
            members = [("listen", .string(address.description)), ("allow_non_loopback", .bool(allowNonLoopback))]
        case .disabled:
            members = [("disabled", .bool(true))]
        }
        // The token's sources are named, never the token.
        if let http {
            members.append(("http_listen", .string(http.listen.description)))
            if let name = http.tokenEnvironmentVariable { members.append(("token_env", .string(name))) }
            if let file = http.tokenFile { members.append(("token_file", .string(file))) }
            members.append(("allow_remote", .bool(http.allowRemote)))
            if let tls = http.tls {
                members.append(
                    (
                        "http_tls",
                        Self.object([
                            ("certificate", .string(tls.certificateChainPath)),
                            ("private_key", .string(tls.privateKeyPath)),
                        ])
                    )
                )
            }
        }
        return Self.object(members)
    }
}
