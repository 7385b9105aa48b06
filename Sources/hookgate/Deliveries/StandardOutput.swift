import Glibc

/// Writing bytes to standard output exactly as they are (e.g. a stored body), with nothing added.
enum StandardOutput {
    /// Writes every byte of `bytes`, after whatever `print` buffered.
    /// - Throws: ``UsageError`` when standard output is closed or fails.
    static func write(_ bytes: [UInt8]) throws(UsageError) {
        fflush(nil)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes {
                Glibc.write(STDOUT_FILENO, $0.baseAddress! + written, $0.count - written)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                throw UsageError("cannot write to standard output: \(String(cString: strerror(errno)))")
            }
            written += count
        }
    }
}
