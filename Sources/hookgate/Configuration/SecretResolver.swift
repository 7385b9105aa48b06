import HookgateCore

/// Reads configured secrets from their sources: `env` from the environment, `file` from disk (one final line
/// ending dropped), `value` as written. In development mode an unset variable gets a generated secret,
/// the same one for every use of that variable.
///
/// Problems are reported at the source's JSON path and never contain the secret.
struct SecretResolver {
    /// The largest secret file read.
    static let maximumFileBytes = InputFile.maximumSecretBytes

    let mode: DeploymentMode
    let environment: [String: String]
    let generateSecret: () -> Secret
    /// The secrets generated so far, one per use.
    private(set) var generated: [GeneratedDevelopmentSecret] = []

    init(mode: DeploymentMode, environment: [String: String], generateSecret: @escaping () -> Secret) {
        self.mode = mode
        self.environment = environment
        self.generateSecret = generateSecret
    }

    /// The secret of `configured`, for endpoint `endpoint`, whose JSON path is `path`; `nil` when it cannot
    /// be resolved, with the reason added to `issues`.
    mutating func resolve(
        _ configured: SecretConfiguration,
        endpoint: String,
        at path: JSONPath,
        issues: inout [ConfigurationIssue]
    ) -> LabelledSecret? {
        let sourcePath = path.appending(configured.source.key)
        let value: String
        switch configured.source {
        case .literal(let secret):
            value = secret.value
        case .environment(let name):
            if let variable = self.environment[name], !variable.isEmpty {
                value = variable
            } else if self.mode == .development {
                value = self.generatedSecret(for: name, endpoint: endpoint, label: configured.label).value
            } else {
                issues.append(
                    ConfigurationIssue(
                        code: .unusableSecret,
                        path: sourcePath,
                        reason: "environment variable \(name) is not set (production mode generates no secrets)"
                    )
                )
                return nil
            }
        case .file(let file):
            do {
                value = try Self.read(file)
            } catch {
                issues.append(ConfigurationIssue(code: .unreadableFile, path: sourcePath, reason: error.message))
                return nil
            }
        }
        guard value.first?.isWhitespace != true, value.last?.isWhitespace != true else {
            issues.append(
                ConfigurationIssue(
                    code: .unusableSecret,
                    path: sourcePath,
                    reason: "the secret has leading or trailing whitespace (a copy-paste slip?)"
                )
            )
            return nil
        }
        return LabelledSecret(label: configured.label, secret: Secret(value), expiresAt: configured.expiresAt)
    }

    private mutating func generatedSecret(for variable: String, endpoint: String, label: String) -> Secret {
        let earlier = self.generated.first { $0.environmentVariable == variable }
        let secret = earlier?.secret ?? self.generateSecret()
        self.generated.append(
            GeneratedDevelopmentSecret(endpoint: endpoint, label: label, environmentVariable: variable, secret: secret)
        )
        return secret
    }

    /// The file's text without one final `\n` or `\r\n`.
    /// - Throws: ``UsageError`` saying why it cannot be used (never quoting its contents).
    static func read(_ path: String) throws(UsageError) -> String {
        // InputFile reads standard input for "-"; a secret only ever comes from a file.
        let bytes = try InputFile.read(path == "-" ? "./-" : path, limit: Self.maximumFileBytes, what: "secret file")
        var secretBytes = bytes[...]
        if secretBytes.last == UInt8(ascii: "\n") {
            secretBytes = secretBytes.dropLast()
            if secretBytes.last == UInt8(ascii: "\r") { secretBytes = secretBytes.dropLast() }
        }
        guard !secretBytes.isEmpty else { throw UsageError("secret file '\(path)' is empty") }
        guard let text = String(validating: secretBytes, as: UTF8.self) else {
            throw UsageError("secret file '\(path)' is not UTF-8 text")
        }
        return text
    }
}
