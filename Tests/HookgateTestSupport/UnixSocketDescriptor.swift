import Foundation
import Glibc

/// A Unix stream socket on a plain file descriptor, for tests that play a client or server NIO would not (one
/// that never reads, one that never answers): connected to, or listening at, a path.
public enum UnixSocketDescriptor {
    /// A socket connected to `path`.
    /// - Throws: `POSIXError` when the socket cannot be made or the connection is refused.
    public static func connected(to path: String) throws -> Int32 {
        try self.socket(at: path) { descriptor, address, length in connect(descriptor, address, length) == 0 }
    }

    /// A socket bound to `path` and listening.
    /// - Throws: `POSIXError` when the socket cannot be made or bound.
    public static func listening(at path: String) throws -> Int32 {
        try self.socket(at: path) { descriptor, address, length in
            bind(descriptor, address, length) == 0 && listen(descriptor, 8) == 0
        }
    }

    private static func socket(
        at path: String,
        _ use: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
    ) throws -> Int32 {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: Array(path.utf8.prefix(buffer.count - 1)) + [0])
        }
        let used = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                use(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard used else {
            let code = POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED
            close(descriptor)
            throw POSIXError(code)
        }
        return descriptor
    }
}
