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

    /// Binds a listener with `bind` so that the socket file appears at ``path`` with exactly `mode` (0600: only
    /// this user may connect), never wider, not even for a moment; returns what `bind` returned.
    ///
    /// `bind` binds to the path it is given: a new socket in a private directory (mode 0700) beside ``path``.
    /// There it gets `mode`, then it is linked to ``path`` (never replacing a file another process put there
    /// meanwhile) and the private name removed. A umask around the bind would do the same with process-wide
    /// state: a bind on another thread, or a child process started meanwhile, would get the socket's umask.
    /// If linking fails, `close` closes what `bind` returned before the error is thrown.
    public func creating<Bound>(
        mode: mode_t = 0o600,
        by bind: (String) async throws -> Bound,
        close: (Bound) async -> Void
    ) async throws -> Bound {
        let parent = self.path.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(self.path[..<$0]) } ?? "."
        var template = Array((parent + "/.hgXXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw self.failure("cannot create a private directory beside it: \(String(cString: strerror(errno)))")
        }
        let privateDirectory = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { rmdir(privateDirectory) }
        let privatePath = privateDirectory + "/s"
        guard privatePath.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw self.failure("the path is too long for a Unix socket (it is bound first as \(privatePath))")
        }
        let bound = try await bind(privatePath)
        defer { unlink(privatePath) }
        guard chmod(privatePath, mode) == 0 else {
            let reason = String(cString: strerror(errno))
            await close(bound)
            throw self.failure("cannot set the socket's mode: \(reason)")
        }
        guard link(privatePath, self.path) == 0 else {
            let reason = errno == EEXIST ? "another process created it meanwhile" : String(cString: strerror(errno))
            await close(bound)
            throw self.failure("cannot put the socket in place: \(reason)")
        }
        return bound
    }

    /// The bound socket's inode, to recognise it on exit, once its mode is checked to be `mode`.
    public func boundInode(mode: mode_t = 0o600) throws(ListenError) -> ino_t {
        var status = stat()
        guard stat(self.path, &status) == 0 else {
            throw self.failure("cannot inspect the bound socket: \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & 0o777 == mode & 0o777 else {
            let found = String(status.st_mode & 0o777, radix: 8)
            throw self.failure("the bound socket has mode \(found), not \(String(mode, radix: 8))")
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
