import Glibc

/// Where the sink reports each request: standard output, one line per request, written at once (no stdio
/// buffering, so a pipe sees every line as it happens).
struct SinkOutput: Sendable {
    /// How each request is printed.
    enum Format: String, Sendable, CaseIterable {
        /// One readable line per request.
        case text
        /// One JSON object per line.
        case json
    }

    let format: Format

    /// Reports `request` in the output's format.
    func report(_ request: ReceivedRequest) {
        let line = (self.format == .json ? request.jsonLine : request.humanLine) + "\n"
        var remaining = line.utf8[...]
        while !remaining.isEmpty {
            let written = remaining.withContiguousStorageIfAvailable {
                Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count)
            }
            if written == -1, errno == EINTR { continue }
            guard let written, written > 0 else { return }
            remaining = remaining.dropFirst(written)
        }
    }
}
