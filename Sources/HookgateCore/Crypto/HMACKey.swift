import COpenSSL

/// An HMAC-SHA256 key whose OpenSSL context is prepared once and copied for every message.
///
/// The key schedule (hashing the padded key) happens in `init`; each ``authenticationCode(_:)`` only
/// duplicates the prepared context, so verifying a request costs one pass over its bytes.
/// The type is immutable after `init`, and OpenSSL only reads the prepared context when copying it.
public final class HMACKey: @unchecked Sendable {
    private let prepared: OpaquePointer

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
    }

    /// Computes the MAC of the bytes that `feed` passes to the ``HMACStream``.
    public func authenticationCode(_ feed: (inout HMACStream) -> Void) -> SHA256MAC {
        guard let context = COpenSSL_hmac_sha256_copy(self.prepared) else {
            // Only an allocation failure inside OpenSSL gets here.
            fatalError("OpenSSL could not copy an HMAC context (out of memory)")
        }
        defer { COpenSSL_hmac_sha256_free(context) }
        var stream = HMACStream(context: context)
        feed(&stream)
        var mac = SHA256MAC()
        let finished = mac.withUnsafeMutableBytes { COpenSSL_hmac_sha256_final(context, $0.baseAddress) }
        precondition(finished == 1 && stream.failed == false, "OpenSSL HMAC update/final failed")
        return mac
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

/// OpenSSL refused an operation; `operation` names it (never key material).
public struct CryptoError: Error, Hashable, CustomStringConvertible {
    public let operation: String
    public var description: String { "OpenSSL failed: \(self.operation)" }
}
