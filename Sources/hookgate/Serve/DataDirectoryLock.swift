import Glibc

/// The exclusive hold of one `serve` process on its data directory: an `flock` on `<data dir>/hookgate.lock`,
/// taken before anything in the directory is touched and held until the process exits (the kernel releases
/// it then, also after `kill -9`). The file holds the holder's pid, so a second `serve` can name it.
///
/// Other commands (`deliveries`, `sink`, `replay`) do not take it: they read the store or listen beside the
/// gateway on purpose.
struct DataDirectoryLock {
    /// The lock file's name inside the data directory.
    static let fileName = "hookgate.lock"

    /// The lock file's path.
    let path: String

    /// Creates the data directory (0700) if missing and takes the lock without waiting. The descriptor is
    /// never closed: the lock lasts as long as the process.
    /// - Throws: ``UsageError`` naming the directory and, when another process holds the lock, its pid.
    init(directory: String) throws(UsageError) {
        let path = directory.hasSuffix("/") ? directory + Self.fileName : directory + "/" + Self.fileName
        try FileOutput.createDirectories(for: path, mode: 0o700)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw UsageError("cannot open the lock file '\(path)': \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readHolder(descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw UsageError("cannot lock '\(path)': \(String(cString: strerror(code)))")
            }
            let who = holder.map { "another hookgate serve (pid \($0))" } ?? "another hookgate serve"
            throw UsageError(
                """
                the data directory '\(directory)' is in use by \(who), which holds '\(path)'; \
                stop it first, or give this gateway its own directory (HOOKGATE_DATA_DIR)
                """
            )
        }
        let pid = Array("\(getpid())\n".utf8)
        guard ftruncate(descriptor, 0) == 0,
            pid.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, $0.count, 0) }) == pid.count
        else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw UsageError("cannot write the lock file '\(path)': \(reason)")
        }
        self.path = path
    }

    /// The pid written by the holder, if the file holds one.
    private static func readHolder(_ descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        return Int32(String(text.prefix(while: \.isNumber)))
    }
}
