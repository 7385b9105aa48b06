import ArgumentParser
import Glibc
import HookgateCore
import HookgateStore

/// `hookgate check-config`: validates the configuration `serve` would use and prints it, secrets redacted.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and print it as serve would use it, with every secret redacted.",
        discussion: """
            Prints the effective configuration (after environment overrides and defaults) as JSON on standard \
            output; secrets show their label, source and expiry, never their value. With the PostgreSQL store it \
            also connects to the database (read-only, at most 5 s) and says whether it is reachable and migrated. \
            Exits 0 when valid, 1 when not (each problem with its JSON path or variable on standard error), 2 on \
            a usage error; a database that cannot be reached is a warning, not an invalid configuration.
            """
    )

    @Option(
        help: ArgumentHelp(
            "The configuration file (default: $HOOKGATE_CONFIG, else \(ConfigurationLoader.defaultPath)).",
            valueName: "PATH"
        )
    )
    var config: String?

    func run() throws {
        let environment = ProcessEnvironment.current()
        let sourcePath = ConfigurationLoader.locate(configPath: self.config, environment: environment)
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader().load(configPath: self.config, environment: environment)
        } catch {
            Self.report(error, sourcePath: sourcePath)
            throw ExitCode(1)
        }
        print(loaded.effective.redactedJSON.serialized(indent: 2))
        StandardError.write("valid: \(sourcePath) (\(loaded.mode.rawValue) mode)")
        for generated in loaded.generatedSecrets {
            StandardError.write(
                "note: \(generated.environmentVariable) is not set; serve will generate a development secret for "
                    + "endpoint \"\(generated.endpoint)\" (key \"\(generated.label)\")"
            )
        }
        if let http = loaded.adminHTTP, http.tokenIsGenerated {
            StandardError.write(
                "note: \(AdminTokenResolver.environmentName) is not set; serve will generate a token for the HTTP "
                    + "admin listener at \(http.listen) and print it once"
            )
        }
        if let stripe = loaded.stripeAPI {
            StandardError.write(
                "note: Stripe API key from \(stripe.keySource): thin events are normalized through \(stripe.apiBase), "
                    + "and commands are sent there"
            )
        } else {
            let name = loaded.effective.stripe.apiKeyVariable
            StandardError.write(
                "note: no Stripe API key (\(name) is not set): thin events are forwarded raw, and commands are "
                    + "accepted but wait in the store until a gateway with a key sends them"
            )
        }
        let tls = loaded.settings.tls
        if loaded.mode == .development,
            access(tls.certificateChainPath, R_OK) != 0 || access(tls.privateKeyPath, R_OK) != 0
        {
            StandardError.write(
                "note: \(tls.certificateChainPath) or \(tls.privateKeyPath) is missing; serve will generate a "
                    + "development certificate signed by the local development CA"
            )
        }
        if loaded.store.backend == .postgres { Self.reportDatabase(loaded.store) }
        let now = Int64(time(nil))
        for endpoint in loaded.settings.endpoints {
            for entry in endpoint.keyring.entries where !entry.isActive(at: now) {
                StandardError.write(
                    "warning: secret \"\(entry.label)\" of endpoint \"\(endpoint.name)\" expired at "
                        + "\(UnixTime.rfc3339(entry.expiresAt ?? now)) and no longer verifies"
                )
            }
        }
    }

    /// Whether the PostgreSQL database answers and is at this version's schema, in one line (never the password).
    private static func reportDatabase(_ store: DeliveryStoreConfiguration) {
        do {
            _ = try DeliveryStores.openReader(store)
            StandardError.write("note: PostgreSQL \(store): reachable, schema up to date")
        } catch {
            switch error.code {
            case .incompatibleSchema where error.detail?.contains("lacks migrations") == true:
                StandardError.write("note: PostgreSQL \(store): reachable; serve will create or migrate its schema")
            case .incompatibleSchema:
                StandardError.write(
                    "warning: PostgreSQL \(store): migrated by a newer Hookgate; this version's serve refuses it"
                )
            default:
                StandardError.write("warning: PostgreSQL \(store): cannot be used now: \(error)")
            }
        }
    }

    /// One line when the file itself cannot be read (`hookgate check-config: cannot read ...`), else the count
    /// of problems (`1 problem`, `2 problems`) and one `error:` line each.
    private static func report(_ error: ConfigurationError, sourcePath: String) {
        var issues = error.issues
        if let unreadable = issues.firstIndex(where: { $0.code == .unreadableFile && $0.location == sourcePath }) {
            StandardError.write("hookgate check-config: \(issues.remove(at: unreadable).reason)")
        } else {
            let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
            StandardError.write("invalid configuration \(sourcePath): \(count)")
        }
        for issue in issues { StandardError.write("error: \(issue)") }
    }
}
