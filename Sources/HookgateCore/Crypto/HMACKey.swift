import COpenSSL

/// An HMAC-SHA256 key whose OpenSSL context is prepared once and reused for every message.
///
/// The key schedule (hashing the padded key) happens in `init`. Each ``authenticationCode(_:)`` takes an idle
/// keyed context from a small pool (copying the prepared one only when all are busy), resets it for the new
/// message and returns it afterwards, so verifying a request costs one pass over its bytes and no allocation.
/// The prepared context is only read (when copied); pooled contexts are used by one computation at a time.
public final class HMACKey: @unchecked Sendable {
    /// Idle contexts kept at most; more concurrent computations than this free their extra copies.
    private static let maximumIdleContexts = 32

    private let prepared: OpaquePointer
    private let idle = PThreadLockedValue<[IdleContext]>([])

    /// Prepares a key from raw key bytes.
    /// - Throws: ``CryptoError`` when OpenSSL cannot create the context.
    public init(bytes: some Sequence<UInt8>) throws(CryptoError) {
        let keyBytes = Array(bytes)
        let context = keyBytes.withUnsafeBytes { COpenSSL_hmac_sha256_new($0.baseAddress, $0.count) }
        guard let context else { throw CryptoError(operation: "EVP_MAC_init(HMAC-SHA256)") }
        self.prepared = context
    }

    deinit {
        COpenSSL_hmac_sha256_free(self.prepared)
        for context in self.idle.withLock({ $0 }) { COpenSSL_hmac_sha256_free(context.pointer) }
    }

    /// Computes the MAC of the bytes that `feed` passes to the ``HMACStream``.
    public func authenticationCode(_ feed: (inout HMACStream) -> Void) -> SHA256MAC {
        let context = self.checkOutContext()
        defer { self.checkIn(context) }
        var stream = HMACStream(context: context)
        feed(&stream)
        var mac = SHA256MAC()
        let finished = mac.withUnsafeMutableBytes { COpenSSL_hmac_sha256_final(context, $0.baseAddress) }
        precondition(finished == 1 && stream.failed == false, "OpenSSL HMAC update/final failed")
        return mac
    }

    /// An idle keyed context reset for a new message, or a fresh copy of the prepared one.
    private func checkOutContext() -> OpaquePointer {
        if let reused = self.idle.withLock({ $0.popLast() }) {
            precondition(COpenSSL_hmac_sha256_reset(reused.pointer) == 1, "OpenSSL could not reset an HMAC context")
            return reused.pointer
        }
        guard let copy = COpenSSL_hmac_sha256_copy(self.prepared) else {
            // Only an allocation failure inside OpenSSL gets here.
            fatalError("OpenSSL could not copy an HMAC context (out of memory)")
        }
        return copy
    }

    private func checkIn(_ context: OpaquePointer) {
        let kept = self.idle.withLock { idle in
            guard idle.count < Self.maximumIdleContexts else { return false }
            idle.append(IdleContext(pointer: context))
            return true
        }
        if !kept { COpenSSL_hmac_sha256_free(context) }
    }

    /// Computes the MAC of one buffer.
    public func authenticationCode(of bytes: UnsafeRawBufferPointer) -> SHA256MAC {
        self.authenticationCode { $0.update(bytes) }
    }
}

/// The bytes fed into one HMAC computation. Only valid inside ``HMACKey/authenticationCode(_:)``.
public struct HMACStream: ~Copyable {
    fileprivate let context: OpaquePointer
    fileprivate var failed = false

    fileprivate init(context: OpaquePointer) {
        self.context = context
    }

    /// Appends raw bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if COpenSSL_hmac_sha256_update(self.context, bytes.baseAddress, bytes.count) != 1 {
            self.failed = true
        }
    }

    /// Appends the UTF-8 bytes of a string.
    public mutating func update(_ text: Substring) {
        var text = text
        text.withUTF8 { self.update(UnsafeRawBufferPointer($0)) }
    }

    /// Appends the decimal digits of a non-negative integer, without allocating.
    public mutating func update(decimal value: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            let count = DecimalDigits.write(value, into: buffer)
            self.update(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[..<count]))
        }
    }

    /// Appends one byte.
    public mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { self.update($0) }
    }
}

/// A keyed context owned by the pool while no computation uses it.
private struct IdleContext: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// OpenSSL refused an operation; `operation` names it (never key material).
public struct CryptoError: Error, Hashable, CustomStringConvertible {
    public let operation: String
    public var description: String { "OpenSSL failed: \(self.operation)" }
}
