import NIOCore

extension SocketAddress {
    /// The address as people write it: `127.0.0.1:8443`, `[::1]:8443`, or a Unix socket's path. (NIO's own
    /// description reads `[IPv4]127.0.0.1/127.0.0.1:8443`.)
    var displayText: String {
        switch self {
        case .v4: "\(self.ipAddress ?? ""):\(self.port ?? 0)"
        case .v6: "[\(self.ipAddress ?? "")]:\(self.port ?? 0)"
        case .unixDomainSocket: self.pathname ?? "unix socket"
        }
    }
}
