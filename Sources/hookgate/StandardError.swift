import Glibc

/// Writing to standard error, where reasons and diagnoses go (standard output is kept for results).
enum StandardError {
    /// Writes `line` and a newline to standard error.
    static func write(_ line: String) {
        var text = line
        if !text.hasSuffix("\n") { text += "\n" }
        var remaining = text.utf8[...]
        while !remaining.isEmpty {
            let written = remaining.withContiguousStorageIfAvailable {
                Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count)
            }
            guard let written, written > 0 else { return }
            remaining = remaining.dropFirst(written)
        }
    }
}
