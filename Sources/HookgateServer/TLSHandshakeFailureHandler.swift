import NIOCore
import NIOSSL
import NIOTLS

/// Right behind `NIOSSLServerHandler`: when the handshake fails, counts it, logs why (through
/// ``HandshakeFailureLog``: unknown CA, protocol version, not TLS, ...) and closes the connection. Leaves the
/// pipeline once the handshake has completed.
final class TLSHandshakeFailureHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let log: HandshakeFailureLog
    private let peer: WebhookPipeline.Peer
    private let onFailure: @Sendable () -> Void

    /// - Parameters:
    ///   - log: Where the failure is logged (once per client address per minute).
    ///   - peer: The client.
    ///   - onFailure: Called once per failed handshake (the metrics).
    init(log: HandshakeFailureLog, peer: WebhookPipeline.Peer, onFailure: @escaping @Sendable () -> Void) {
        self.log = log
        self.peer = peer
        self.onFailure = onFailure
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let tlsError = error as? NIOSSLError, case .handshakeFailed = tlsError else {
            context.fireErrorCaught(error)
            return
        }
        self.onFailure()
        let (reason, detail) = HandshakeFailureLog.classify(tlsError)
        self.log.record(reason, peer: self.peer, detail: detail)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension TLSHandshakeFailureHandler: Sendable {}
