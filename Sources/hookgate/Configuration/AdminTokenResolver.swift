import HookgateCore
import HookgateServer

/// Finds the HTTP admin listener's token: `HOOKGATE_ADMIN_TOKEN` when set, else the variable `admin.token_env`
/// names, else the file `admin.token_file`, else (development mode only) a generated one; production mode
/// without a token is a configuration error. Problems never quote the token.
struct AdminTokenResolver {
    /// The variable whose value is the token, before any configured source.
    static let environmentName = "HOOKGATE_ADMIN_TOKEN"

    let mode: DeploymentMode
    let environment: [String: String]
    /// Makes a token when none is configured (development mode).
    let generateToken: () -> Secret

    /// The settings of `configured`; `nil` with the reason added to `issues` when no usable token is found.
    func resolve(_ configured: AdminHTTPConfiguration, issues: inout [ConfigurationIssue]) -> AdminHTTPSettings? {
        let admin = JSONPath.root.appending("admin")
        let text: String
        let location: String
        if let value = self.variable(Self.environmentName) {
            (text, location) = (value, Self.environmentName)
        } else if let name = configured.tokenEnvironmentVariable {
            location = admin.appending("token_env").description
            guard let value = self.variable(name) else {
                issues.append(
                    ConfigurationIssue(
                        code: .unusableSecret,
                        location: location,
                        reason: "environment variable \(name) is not set"
                    )
                )
                return nil
            }
            text = value
        } else if let file = configured.tokenFile {
            location = admin.appending("token_file").description
            do {
                text = try SecretResolver.read(file)
            } catch {
                issues.append(ConfigurationIssue(code: .unreadableFile, location: location, reason: error.message))
                return nil
            }
        } else if self.mode == .development {
            return AdminHTTPSettings(
                listen: configured.listen,
                tls: configured.tls,
                token: self.generateToken(),
                tokenIsGenerated: true
            )
        } else {
            issues.append(
                ConfigurationIssue(
                    code: .missingKey,
                    path: admin.appending("token_env"),
                    reason: "http_listen needs a token in production mode: set \(Self.environmentName), or "
                        + "admin.token_env or admin.token_file (production mode generates none)"
                )
            )
            return nil
        }
        if let problem = AdminAccessToken.problem(with: text) {
            issues.append(ConfigurationIssue(code: .unusableSecret, location: location, reason: problem))
            return nil
        }
        return AdminHTTPSettings(
            listen: configured.listen,
            tls: configured.tls,
            token: Secret(text),
            tokenIsGenerated: false
        )
    }

    private func variable(_ name: String) -> String? {
        guard let value = self.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
