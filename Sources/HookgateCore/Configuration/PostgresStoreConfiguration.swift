import Foundation

/// The PostgreSQL database that replicas share (`store.postgres`), used when `store.backend` is `"postgres"`.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    /// The most connections one gateway opens when `pool_size` is not set.
    public static let defaultPoolSize = 10

    /// `postgres://user@host:port/database?sslmode=...` (`url`); required for the backend.
    public var url: String?
    /// The environment variable holding the password (`password_env`).
    public var passwordEnvironmentVariable: String?
    /// The file holding the password (`password_file`), trailing newline ignored.
    public var passwordFile: String?
    /// The most connections one gateway opens (`pool_size`).
    public var poolSize: Int
    /// Whether ``url`` came from `HOOKGATE_DATABASE_URL` rather than the file (a password in it is then not a
    /// password written in the configuration file).
    public var urlIsFromEnvironment = false

    public init(
        url: String? = nil,
        passwordEnvironmentVariable: String? = nil,
        passwordFile: String? = nil,
        poolSize: Int = Self.defaultPoolSize
    ) {
        self.url = url
        self.passwordEnvironmentVariable = passwordEnvironmentVariable
        self.passwordFile = passwordFile
        self.poolSize = poolSize
    }

    /// Whether `url` is a `postgres://` or `postgresql://` URL.
    public static func isPostgresURL(_ url: String) -> Bool {
        guard let scheme = URLComponents(string: url)?.scheme?.lowercased() else { return false }
        return scheme == "postgres" || scheme == "postgresql"
    }

    /// Whether `url` holds a password (`postgres://user:password@...`).
    public static func urlHoldsPassword(_ url: String) -> Bool {
        URLComponents(string: url)?.password != nil
    }

    /// `url` with its password, if any, replaced by ``HookgateConfiguration/redactedValue``: what messages show.
    public static func redacting(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest[..<(rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex)]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return url
        }
        return String(url[...colon]) + HookgateConfiguration.redactedValue + String(url[at...])
    }
}
