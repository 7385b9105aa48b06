/// Everything `hookgate serve` runs with, resolved from the configuration file, the environment and the
/// secret sources: the ingress server takes this and never reads files or variables itself.
///
/// A reload (SIGHUP) builds a new value and hands it to the running server; open connections keep the
/// settings they started with.
public struct GatewaySettings: Sendable {
    /// Where the HTTPS listener binds (at least one).
    public var listen: [ListenAddress]
    /// The server certificate chain and key.
    public var tls: TLSFiles
    /// The webhook endpoints, matched by exact path.
    public var endpoints: [GatewayEndpoint]
    /// Limits on connections, sizes and waits.
    public var limits: GatewayLimits
    /// Where the admin listener (health, readiness, metrics) binds.
    public var admin: AdminListenAddress

    public init(
        listen: [ListenAddress],
        tls: TLSFiles,
        endpoints: [GatewayEndpoint],
        limits: GatewayLimits = GatewayLimits(),
        admin: AdminListenAddress
    ) {
        self.listen = listen
        self.tls = tls
        self.endpoints = endpoints
        self.limits = limits
        self.admin = admin
    }

    /// The endpoint serving `path`, if any.
    public func endpoint(forPath path: Substring) -> GatewayEndpoint? {
        self.endpoints.first { $0.path.utf8.elementsEqual(path.utf8) }
    }
}

/// A host and port to listen on, e.g. `127.0.0.1:8443` or `[::1]:8443`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IP address or host name (IPv6 without brackets).
    public var host: String
    /// The TCP port; 0 asks the system for a free one.
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String {
        self.host.contains(":") ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }
}

/// PEM files of the server's certificate chain and private key.
public struct TLSFiles: Sendable, Hashable {
    /// The certificate chain, leaf first.
    public var certificateChainPath: String
    /// The private key (kept out of logs; only the path is ever printed).
    public var privateKeyPath: String

    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }
}

/// Where the admin listener binds: a Unix socket (the default, mode 0600) or a loopback TCP port.
public enum AdminListenAddress: Sendable, Hashable {
    /// A Unix domain socket at `path`, created with file mode `mode`.
    case unixSocket(path: String, mode: UInt16 = 0o600)
    /// A TCP address; configuration validation only allows loopback hosts unless explicitly overridden.
    case tcp(ListenAddress)
    /// No admin listener.
    case disabled
}
