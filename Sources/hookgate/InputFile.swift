import Glibc

/// Reads whole files and standard input as raw bytes, with a size limit.
enum InputFile {
    /// The largest payload read (Stripe events are a few KB; the gateway's default body limit is far lower).
    static let maximumPayloadBytes = 32 * 1024 * 1024
    /// The largest secret file read.
    static let maximumSecretBytes = 64 * 1024

    /// The bytes of the file at `path`, or of standard input for `nil` or `-`.
    /// - Throws: ``UsageError`` naming the path when it cannot be read or is larger than `limit`.
    static func read(_ path: String?, limit: Int, what: String) throws(UsageError) -> [UInt8] {
        let fromStandardInput = path == nil || path == "-"
        let name = fromStandardInput ? "standard input" : "'\(path!)'"
        let descriptor = fromStandardInput ? STDIN_FILENO : open(path!, O_RDONLY)
        guard descriptor >= 0 else {
            throw UsageError("cannot read \(what) \(name): \(String(cString: strerror(errno)))")
        }
        defer { if !fromStandardInput { close(descriptor) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw UsageError("cannot read \(what) \(name): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else {
                throw UsageError("\(what) \(name) is larger than \(limit) bytes")
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}
