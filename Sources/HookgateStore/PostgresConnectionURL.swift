import Foundation

/// A PostgreSQL connection URL, `postgres://user[:password]@host[:port]/database[?sslmode=...]`, taken apart.
///
/// Its ``description`` never shows the password, and neither does any error it throws: a URL that does not
/// parse is refused without being quoted, since it may hold one.
struct PostgresConnectionURL: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    enum SSLMode: String, Hashable, Sendable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS always, without checking the server's certificate.
        case require
        /// TLS always, with the certificate checked against the system's roots and the host name.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address.
    var host: String
    /// The server's port (5432 unless given).
    var port: Int
    /// The role to connect as.
    var username: String
    /// The password the URL holds, if any.
    var password: String?
    /// The database (the user name unless given, as libpq does).
    var database: String
    /// The TLS mode; nil when the URL names none (then ``SSLMode/prefer``).
    var sslMode: SSLMode?

    /// Parses `string`.
    /// - Throws: ``StoreError/Code/invalidConfiguration`` naming what is wrong, never quoting the URL.
    init(parsing string: String) throws(StoreError) {
        let shape = "the PostgreSQL URL must look like postgres://user@host:port/database"
        guard let components = URLComponents(string: string) else { throw .invalidConfiguration(shape) }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw .invalidConfiguration("\(shape) (scheme postgres:// or postgresql://)")
        }
        guard var host = components.host, !host.isEmpty else {
            throw .invalidConfiguration("\(shape) (no host)")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let username = components.user, !username.isEmpty else {
            throw .invalidConfiguration("\(shape) (no user)")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw .invalidConfiguration("\(shape) (port out of range)")
        }
        var path = components.path
        if path.hasPrefix("/") { path.removeFirst() }
        guard !path.contains("/") else { throw .invalidConfiguration("\(shape) (one database name after the host)") }
        var sslMode: SSLMode?
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw .invalidConfiguration("unsupported PostgreSQL URL parameter '\(item.name)' (only sslmode is)")
            }
            guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidConfiguration("sslmode must be one of \(modes)")
            }
            sslMode = mode
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = username
        self.password = components.password
        self.database = path.isEmpty ? username : path
        self.sslMode = sslMode
    }

    /// The URL without its password: safe for messages and logs.
    var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        let query = sslMode.map { "?sslmode=\($0.rawValue)" } ?? ""
        return "postgres://\(username)@\(hostPart):\(port)/\(database)\(query)"
    }

    var debugDescription: String { description }
}
