public import Glibc

/// The file of a Unix socket a listener binds (the admin socket, the sink's socket): made free before binding,
/// restricted to its mode, and removed on exit only while it is still the one this process bound.
///
/// A stale socket left by a dead process is replaced; another file, or a socket a live process still listens
/// on, is never touched, so a second process cannot take (or delete) a running one's socket.
public struct UnixSocketFile: Sendable {
    /// The socket's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Removes a stale socket left by a dead process; the socket's directory must exist.
    /// - Throws: ``ListenError`` saying why the path cannot be used.
    public func prepare() throws(ListenError) {
        guard self.path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw self.failure("the path is too long for a Unix socket")
        }
        var status = stat()
        guard lstat(self.path, &status) == 0 else {
            if errno == ENOENT { return }
            throw self.failure("cannot inspect it: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw self.failure("it exists and is not a socket; not replacing it")
        }
        switch self.probe() {
        case 0:
            throw self.failure("another process is listening on it (a gateway, a sink or the payment system)")
        case ECONNREFUSED, ENOENT:
            guard unlink(self.path) == 0 || errno == ENOENT else {
                throw self.failure("cannot remove the stale socket: \(String(cString: strerror(errno)))")
            }
        case let error:
            throw self.failure("cannot probe the socket: \(String(cString: strerror(error)))")
        }
    }

    /// Sets the socket's mode (0600: only this user may connect) and returns its inode, to recognise it on exit.
    public func restrict(mode: mode_t = 0o600) throws(ListenError) -> ino_t {
        var status = stat()
        guard chmod(self.path, mode) == 0, stat(self.path, &status) == 0 else {
            throw self.failure("cannot set the socket's mode: \(String(cString: strerror(errno)))")
        }
        return status.st_ino
    }

    /// Removes the socket file if it is still the one bound (inode `inode`), not one a later process made.
    public func remove(inode: ino_t) {
        var status = stat()
        if lstat(self.path, &status) == 0, status.st_ino == inode { unlink(self.path) }
    }

    /// Connects to the socket: 0 when a process accepts, else the `errno` of the attempt.
    private func probe() -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { destination in
            destination.copyBytes(from: self.path.utf8)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0 ? 0 : errno
    }

    private func failure(_ reason: String) -> ListenError {
        ListenError(address: self.path, reason: reason)
    }
}
