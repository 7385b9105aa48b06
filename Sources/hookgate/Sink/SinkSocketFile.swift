import Glibc

/// The sink's Unix socket file: made free before binding, restricted to this user, removed on exit.
struct SinkSocketFile {
    let path: String

    /// Creates the socket's missing directories (mode 0700) and removes a stale socket left by a dead
    /// process. Another file, or a socket a live process still listens on, is left alone.
    /// - Throws: ``UsageError`` saying why the path cannot be used.
    func prepare() throws(UsageError) {
        guard self.path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw UsageError("socket path '\(self.path)' is too long for a Unix socket")
        }
        try FileOutput.createDirectories(for: self.path, mode: 0o700)
        var status = stat()
        guard lstat(self.path, &status) == 0 else {
            if errno == ENOENT { return }
            throw UsageError("cannot inspect '\(self.path)': \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw UsageError("'\(self.path)' exists and is not a socket; not replacing it")
        }
        switch self.probe() {
        case 0:
            throw UsageError("another process is listening on '\(self.path)' (a sink or the payment system)")
        case ECONNREFUSED, ENOENT:
            guard unlink(self.path) == 0 || errno == ENOENT else {
                throw UsageError("cannot remove the stale socket '\(self.path)': \(String(cString: strerror(errno)))")
            }
        case let error:
            throw UsageError("cannot probe the socket '\(self.path)': \(String(cString: strerror(error)))")
        }
    }

    /// Lets only this user connect (mode 0600) and returns the socket's inode, to recognise it on exit.
    func restrict() throws(UsageError) -> ino_t {
        var status = stat()
        guard chmod(self.path, 0o600) == 0, stat(self.path, &status) == 0 else {
            throw UsageError("cannot restrict the socket '\(self.path)': \(String(cString: strerror(errno)))")
        }
        return status.st_ino
    }

    /// Removes the socket file if it is still the one bound (inode `inode`), not one a later sink made.
    func remove(inode: ino_t) {
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
}
