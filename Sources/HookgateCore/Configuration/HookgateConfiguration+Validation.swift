extension HookgateConfiguration {
    /// Checks the rules that span several values: at least one listener and endpoint, unique listeners,
    /// endpoint names, paths and secret labels, endpoint body limits within the global one, a loopback admin
    /// listener (unless allowed otherwise), a commands socket apart from the other sockets, and production mode's refusals (literal secrets, the implicit
    /// development certificate).
    /// - Throws: ``ConfigurationError`` with every issue found.
    public func validate() throws(ConfigurationError) {
        let issues = self.validationIssues()
        guard issues.isEmpty else { throw ConfigurationError(issues: issues) }
    }

    /// The issues ``validate()`` reports, in document order.
    public func validationIssues() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        func report(_ code: ConfigurationIssue.Code, _ path: JSONPath, _ reason: String) {
            issues.append(ConfigurationIssue(code: code, path: path, reason: reason))
        }
        let root = JSONPath.root
        if self.mode == .production, self.tls == nil {
            report(
                .notAllowedInProduction,
                root.appending("tls"),
                "required in production mode (no development certificate)"
            )
        }
        if self.listen.isEmpty { report(.invalidValue, root.appending("listen"), "needs at least one address") }
        for (index, address) in self.listen.enumerated() where self.listen[..<index].contains(address) {
            report(.duplicateValue, root.appending("listen").appending(index: index), "\(address) is listed twice")
        }
        if self.endpoints.isEmpty { report(.invalidValue, root.appending("endpoints"), "needs at least one endpoint") }
        for (index, endpoint) in self.endpoints.enumerated() {
            let path = root.appending("endpoints").appending(index: index)
            let earlier = self.endpoints[..<index]
            if earlier.contains(where: { $0.name == endpoint.name }) {
                report(
                    .duplicateValue,
                    path.appending("name"),
                    "another endpoint is already named \"\(endpoint.name)\""
                )
            }
            if earlier.contains(where: { $0.path == endpoint.path }) {
                report(.duplicateValue, path.appending("path"), "another endpoint already serves \(endpoint.path)")
            }
            if let bodyLimit = endpoint.maximumBodyBytes, bodyLimit > self.limits.maximumBodyBytes {
                report(
                    .invalidValue,
                    path.appending("max_body_bytes"),
                    "must not exceed limits.max_body_bytes (\(self.limits.maximumBodyBytes))"
                )
            }
            issues += Self.secretIssues(endpoint.secrets, at: path.appending("secrets"), mode: self.mode)
        }
        issues += self.storeIssues()
        if case .tcp(let address, let allowNonLoopback) = self.admin {
            if !address.isLoopback, !allowNonLoopback {
                report(
                    .invalidValue,
                    root.appending("admin").appending("listen"),
                    "\(address.host) is not a loopback address; set \"allow_non_loopback\": true to expose the admin listener"
                )
            }
            if self.listen.contains(where: { $0.port == address.port && address.port != 0 }) {
                report(
                    .duplicateValue,
                    root.appending("admin").appending("listen"),
                    "port \(address.port) is also a webhook listener"
                )
            }
        }
        issues += self.adminHTTPIssues()
        if let socket = self.commands.socketPath {
            let path = root.appending("commands").appending("socket")
            if case .unixSocket(socket?, _) = self.admin {
                report(.duplicateValue, path, "\(socket) is also the admin socket")
            }
            if self.upstream.socket == socket {
                report(.duplicateValue, path, "\(socket) is also the payment system's socket (upstream.socket)")
            }
        }
        return issues
    }

    /// The PostgreSQL settings' rules: a `postgres://` URL when the backend is PostgreSQL, one password source,
    /// and no password in the file in production mode.
    private func storeIssues() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        let path = JSONPath.root.appending("store").appending("postgres")
        let postgres = self.store.postgres
        if let url = postgres.url {
            if !PostgresStoreConfiguration.isPostgresURL(url) {
                issues.append(
                    ConfigurationIssue(
                        code: .invalidValue,
                        path: path.appending("url"),
                        reason: "must look like postgres://user@host:port/database"
                    )
                )
            } else if PostgresStoreConfiguration.urlHoldsPassword(url), self.mode == .production,
                !postgres.urlIsFromEnvironment
            {
                issues.append(
                    ConfigurationIssue(
                        code: .notAllowedInProduction,
                        path: path.appending("url"),
                        reason: "holds a password, refused in production mode: use password_env or password_file"
                    )
                )
            }
        } else if self.store.backend == .postgres {
            issues.append(
                ConfigurationIssue(
                    code: .missingKey,
                    path: path.appending("url"),
                    reason: "required when store.backend is \"postgres\" (or set HOOKGATE_DATABASE_URL)"
                )
            )
        }
        if postgres.passwordEnvironmentVariable != nil, postgres.passwordFile != nil {
            issues.append(
                ConfigurationIssue(
                    code: .invalidValue,
                    path: path.appending("password_file"),
                    reason: "give the password by password_env or password_file, not both"
                )
            )
        }
        return issues
    }

    private static func secretIssues(
        _ secrets: [SecretConfiguration],
        at path: JSONPath,
        mode: DeploymentMode
    ) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if secrets.isEmpty {
            issues.append(ConfigurationIssue(code: .invalidValue, path: path, reason: "needs at least one secret"))
        }
        for (index, secret) in secrets.enumerated() {
            let secretPath = path.appending(index: index)
            if secrets[..<index].contains(where: { $0.label == secret.label }) {
                issues.append(
                    ConfigurationIssue(
                        code: .duplicateValue,
                        path: secretPath.appending("label"),
                        reason: "another secret of this endpoint is already labelled \"\(secret.label)\""
                    )
                )
            }
            if mode == .production, case .literal = secret.source {
                issues.append(
                    ConfigurationIssue(
                        code: .notAllowedInProduction,
                        path: secretPath.appending("value"),
                        reason: "literal secrets are refused in production mode; use \"env\" or \"file\""
                    )
                )
            }
        }
        return issues
    }
}
