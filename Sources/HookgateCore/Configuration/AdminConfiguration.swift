/// The admin listener (health, readiness, metrics) as configured (`admin`).
public enum AdminConfiguration: Sendable, Hashable {
    /// A Unix socket (`{"socket": PATH, "socket_mode": "0600"}`); a `nil` path means
    /// `<data dir>/admin.sock`. The default, with mode 0600.
    case unixSocket(path: String?, mode: UInt16)
    /// A TCP listener (`{"listen": "127.0.0.1:9090"}`); a non-loopback host needs `allowNonLoopback`
    /// (`"allow_non_loopback": true`).
    case tcp(ListenAddress, allowNonLoopback: Bool)
    /// No admin listener (`{"disabled": true}`).
    case disabled

    /// The default: a socket in the data directory, mode 0600.
    public static let standard = AdminConfiguration.unixSocket(path: nil, mode: 0o600)
}
