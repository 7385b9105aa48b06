import HookgateCore
import NIOCore
import NIOHTTP1
import NIOHTTPCompression

extension ChannelPipeline.SynchronousOperations {
    /// Adds the HTTP/1.1 handlers of an ingress connection (after TLS): a count of the bytes received, NIO's
    /// server pipeline (response
    /// encoder, request decoder with the header limit, `HTTPServerPipelineHandler` for pipelining and
    /// quiescing), the gzip decompressor, and ``IngressConnectionHandler``.
    ///
    /// NIO's protocol error handler is left out: ``IngressConnectionHandler`` answers decoder errors with the
    /// gateway's JSON 431 or 400. Outbound header validation is left out too: every header value of an answer
    /// is the gateway's own (a number or a constant).
    /// - Parameters:
    ///   - settings: The endpoints and limits the connection is served with.
    ///   - pipeline: Checks and answers requests.
    ///   - peer: The client.
    /// - Throws: when a handler cannot be added (the channel closed).
    func addWebhookHTTPHandlers(
        settings: GatewaySettings,
        pipeline: WebhookPipeline,
        peer: WebhookPipeline.Peer
    ) throws {
        let limits = settings.limits
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderListSize = limits.maximumHeaderBytes
        decoderLimits.maxHeaderFieldSize = limits.maximumHeaderBytes
        let wireBytes = WireBytes()
        try self.addHandler(WireByteCounter(counting: wireBytes))
        try self.configureHTTPServerPipeline(
            withPipeliningAssistance: true,
            withServerUpgrade: nil,
            withErrorHandling: false,
            withOutboundHeaderValidation: false,
            withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
            withDecoderLimitConfiguration: decoderLimits
        )
        try self.addHandler(NIOHTTPRequestDecompressor(limit: .ratio(limits.maximumDecompressionRatio)))
        try self.addHandler(
            IngressConnectionHandler(settings: settings, pipeline: pipeline, peer: peer, wireBytes: wireBytes)
        )
    }
}
