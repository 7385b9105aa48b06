import NIOCore
import NIOHTTP1

/// NIO's HTTP/1.1 response decoder for a connection whose requests are written as ready-made bytes.
///
/// `HTTPResponseDecoder` learns of each request by observing `HTTPClientRequestPart` writes, which makes it an
/// outbound handler that every write must pass as such. Wrapped, it is told of each request with
/// ``expectResponse()`` instead, so the request's bytes go past it untouched, in one write.
final class UpstreamResponseDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTPClientResponsePart

    /// What the decoder is told each request was: every forward is a POST, so its response may have a body.
    private static let post = HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/"))

    private let decoder = HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop)

    /// Tells the decoder that one more request was sent, so one more response is expected.
    func expectResponse() {
        decoder.write(data: Self.post)
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try decoder.decode(context: context, buffer: &buffer)
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
    }

    func decoderAdded(context: ChannelHandlerContext) {
        decoder.decoderAdded(context: context)
    }

    func decoderRemoved(context: ChannelHandlerContext) {
        decoder.decoderRemoved(context: context)
    }
}

@available(*, unavailable)
extension UpstreamResponseDecoder: Sendable {}
