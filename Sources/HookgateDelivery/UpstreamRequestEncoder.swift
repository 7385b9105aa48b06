import Foundation
import HookgateCore
import HookgateStore
import NIOCore

/// Writes one forward's HTTP/1.1 request, head and body, into a single `ByteBuffer`: the request line and the
/// headers every forward shares are encoded once, the others are written straight from their values.
struct UpstreamRequestEncoder: Sendable {
    /// The request line, `Host`, `User-Agent` and the name of the `Content-Type` header, encoded once.
    private let prefix: ByteBuffer
    private let allocator = ByteBufferAllocator()

    /// - Parameter requestPath: The path every request is POSTed to.
    init(requestPath: String) {
        var prefix = ByteBufferAllocator().buffer(capacity: 64 + requestPath.utf8.count)
        prefix.writeString("POST \(requestPath) HTTP/1.1\r\nHost: localhost\r\nUser-Agent: hookgate\r\nContent-Type: ")
        self.prefix = prefix
    }

    /// The request POSTing `message` of `record` as attempt `attempt`, with the signature's headers if any.
    /// - Throws: ``UpstreamTransportError/invalidHeaderValue(name:)`` when the content type or the endpoint
    ///   holds a CR, LF or NUL (they come from stored data; the request's framing must not).
    func encode(
        _ message: OutboundMessage,
        of record: DeliveryRecord,
        attempt: Int,
        signature: SignatureHeaders?
    ) throws(UpstreamTransportError) -> ByteBuffer {
        let endpoint = record.received.endpoint
        guard Self.isFieldValue(message.contentType) else { throw .invalidHeaderValue(name: "Content-Type") }
        guard Self.isFieldValue(endpoint) else { throw .invalidHeaderValue(name: "Hookgate-Endpoint") }
        let receivedAt = Int64((record.received.receivedAt.timeIntervalSince1970 * 1000).rounded())
        let signatureBytes = signature?.fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 } ?? 0
        var buffer = allocator.buffer(
            capacity: prefix.readableBytes + message.contentType.utf8.count + endpoint.utf8.count + signatureBytes
                + 200 + message.body.count
        )
        buffer.writeImmutableBuffer(prefix)
        buffer.writeString(message.contentType)
        buffer.writeStaticString("\r\nHookgate-Delivery-Id: ")
        buffer.writeString(String(record.id.rawValue))
        buffer.writeStaticString("\r\nHookgate-Attempt: ")
        buffer.writeString(String(attempt))
        buffer.writeStaticString("\r\nHookgate-Endpoint: ")
        buffer.writeString(endpoint)
        buffer.writeStaticString("\r\nHookgate-Received-At: ")
        buffer.writeString(String(receivedAt))
        for field in signature?.fields ?? [] {
            buffer.writeStaticString("\r\n")
            buffer.writeString(field.name)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
        }
        buffer.writeStaticString("\r\nContent-Length: ")
        buffer.writeString(String(message.body.count))
        buffer.writeStaticString("\r\n\r\n")
        message.body.withUnsafeBytes { _ = buffer.writeBytes($0) }
        return buffer
    }

    /// Whether `value` can stand as a header value as it is: no CR, LF or NUL.
    private static func isFieldValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 == 0 }
    }
}
