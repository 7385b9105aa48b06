import Foundation
import Glibc

/// Ports on 127.0.0.1 chosen by the kernel (a bind to port 0), for the processes a test starts.
enum LoopbackPort {
    /// A port bound (and never listened on) for the time of `body`: connecting to it is refused whatever else
    /// runs on the machine.
    static func whileBound<Result>(_ body: (Int) throws -> Result) throws -> Result {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw GatewayProcessError(message: "socket: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw GatewayProcessError(message: "bind: \(String(cString: strerror(errno)))") }
        return try body(Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A port free now (bound, read and released at once), for a process that must be told its port before it
    /// starts.
    static func free() throws -> Int {
        try Self.whileBound { $0 }
    }
}
