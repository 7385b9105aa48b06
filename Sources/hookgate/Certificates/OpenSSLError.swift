import COpenSSL

/// This thread's OpenSSL error queue.
enum OpenSSLError {
    /// The oldest queued error's description, or nil; empties the queue.
    static func take() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard COpenSSL_take_error(&buffer, buffer.count) == 1 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
