import Glibc
import NIOCore

/// A listener that could not be opened, with the address and the likely cause in words, e.g.
/// `cannot listen on 127.0.0.1:8443: it is in use by another process`.
public struct ListenError: Error, Hashable, CustomStringConvertible {
    /// The address as configured: `host:port`, or a Unix socket's path.
    public var address: String
    /// Why, for people.
    public var reason: String

    init(address: String, reason: String) {
        self.address = address
        self.reason = reason
    }

    /// The error of a failed bind on `address`, explained by its `errno` when it has one.
    init(address: String, bindError error: any Error) {
        self.address = address
        guard let io = error as? IOError else {
            self.reason = "\(error)"
            return
        }
        self.reason =
            switch io.errnoCode {
            case EADDRINUSE: "it is in use by another process"
            case EACCES: "permission denied (ports below 1024 need privileges)"
            case EADDRNOTAVAIL: "no network interface of this machine has this address"
            default: String(cString: strerror(io.errnoCode))
            }
    }

    public var description: String {
        "cannot listen on \(self.address): \(self.reason)"
    }
}
