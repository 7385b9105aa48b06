import Glibc
import HookgateCore
import Logging

/// What development mode fills in before the gateway starts: a certificate from the local development CA
/// when the configured files are missing, and the generated secrets of unset variables, announced once (as
/// `stripe listen` does).
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
    }
}
