import Glibc
import HookgateCore
import Logging

/// What development mode fills in before the gateway starts: a certificate from the local development CA
/// when the configured files are missing, and the generated secrets of unset variables and the generated token
/// of the HTTP admin listener, announced once (as `stripe listen` does).
/// Production mode gets none of this: the loader has already refused missing files and variables.
enum DevelopmentFallbacks {
    static func apply(to loaded: LoadedConfiguration, logger: Logger) throws {
        guard loaded.mode == .development else { return }
        let tls = loaded.settings.tls
        if !FileOutput.exists(tls.certificateChainPath) || !FileOutput.exists(tls.privateKeyPath) {
            let ca = try DevelopmentCertificateIssuer.issue(to: tls).authority.certificateChainPath
            logger.warning(
                "generated a development certificate for localhost; clients trust it with --cacert \(ca)",
                metadata: ["certificate": "\(tls.certificateChainPath)", "private_key": "\(tls.privateKeyPath)"]
            )
        }
        for generated in loaded.generatedSecrets {
            // Later reloads (SIGHUP) read the same variable and so keep this secret.
            setenv(generated.environmentVariable, generated.secret.value, 0)
            StandardError.write(
                """

                ⚠  Development mode: \(generated.environmentVariable) is not set, so endpoint "\(generated.endpoint)" \
                verifies with this generated signing secret (key "\(generated.label)"):

                    \(generated.secret.value)

                Sign test requests with it, e.g.  export \(generated.environmentVariable)=\(generated.secret.value)
                It changes at every start. With "mode": "production" Hookgate refuses to start instead.

                """
            )
        }
        if let http = loaded.adminHTTP, http.tokenIsGenerated {
            // Later reloads (SIGHUP) read the same variable and so keep this token.
            setenv(AdminTokenResolver.environmentName, http.token.value, 0)
            let scheme = http.tls == nil ? "http" : "https"
            let portNote =
                http.listen.port == 0
                ? " Port 0 is a free port: the hookgate.admin.http line \"admin listening\" names it." : ""
            StandardError.write(
                """

                ⚠  Development mode: \(AdminTokenResolver.environmentName) is not set, so the dashboard at \
                \(scheme)://\(http.listen)/ is guarded by this generated token:

                    \(http.token.value)

                Open  \(scheme)://\(http.listen)/?token=\(http.token.value)  (it sets a session cookie), or send \
                Authorization: Bearer <token>.\(portNote) It changes at every start. With "mode": "production" \
                Hookgate refuses to start without a token instead.

                """
            )
        }
    }
}
