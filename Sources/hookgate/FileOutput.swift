import Glibc

/// Writing files the way a server's secrets need: created with their final mode, replaced atomically.
enum FileOutput {
    /// Writes `bytes` to `path` through a temporary file renamed into place; creates missing directories.
    /// - Throws: ``UsageError`` naming the path.
    static func write(_ bytes: [UInt8], to path: String, mode: mode_t) throws(UsageError) {
        try self.createDirectories(for: path)
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw self.failure("cannot create", temporary) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let error = self.failure("cannot write", temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        // The mode given to open() is reduced by the umask; set it exactly.
        guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw self.failure("cannot finish", temporary)
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw self.failure("cannot rename into", path)
        }
    }

    /// Whether a file exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Creates the folders leading to `path` that are missing, with `mode` (existing ones are left as they are).
    static func createDirectories(for path: String, mode: mode_t = 0o755) throws(UsageError) {
        var directory = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (index, part) in parts.enumerated() {
            directory += (index == 0 ? "" : "/") + part
            guard !directory.isEmpty, !part.isEmpty, part != "." else { continue }
            if mkdir(directory, mode) != 0, errno != EEXIST {
                throw self.failure("cannot create directory", directory)
            }
        }
    }

    private static func failure(_ action: String, _ path: String) -> UsageError {
        UsageError("\(action) '\(path)': \(String(cString: strerror(errno)))")
    }
}
