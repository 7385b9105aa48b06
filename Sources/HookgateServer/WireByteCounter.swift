import NIOCore

/// How many bytes a connection has received on the wire (after TLS, before HTTP decoding): what
/// ``IngressConnectionHandler`` compares with the body bytes the decoder gave it, to bound the framing around
/// them (chunk sizes, chunk extensions, line ends), which NIO's decoder reads without a limit.
final class WireBytes {
    /// Bytes received so far.
    fileprivate(set) var total = 0
}

/// Counts the bytes of each read into a ``WireBytes``, and passes them on unchanged.
final class WireByteCounter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let bytes: WireBytes

    init(counting bytes: WireBytes) {
        self.bytes = bytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.bytes.total &+= Self.unwrapInboundIn(data).readableBytes
        context.fireChannelRead(data)
    }
}
