import Foundation
import HookgateCore
import HookgateStore
import NIOCore
import NIOHTTP1

/// POSTs a leased delivery's messages to the payment system's Unix socket, over kept-alive HTTP/1.1
/// connections (``UpstreamConnectionPool``), at most ``UpstreamSettings/maximumInFlight`` of them.
final class UpstreamClient: Sendable {
    /// Most bytes of a response body read (and dropped): the status and headers are what count.
    static let maximumResponseBytes = 64 * 1024

    private let pool: UpstreamConnectionPool
    private let encoder: UpstreamRequestEncoder
    private let timeout: TimeAmount
    private let signingKeys: [HMACKey]

    /// - Throws: ``UpstreamClientError`` when the socket path cannot be a Unix socket's address (too long).
    init(settings: UpstreamSettings) throws {
        let address: SocketAddress
        do {
            address = try SocketAddress(unixDomainSocketPath: settings.socketPath)
        } catch {
            throw UpstreamClientError(reason: "the socket path \(settings.socketPath) cannot be used: \(error)")
        }
        self.pool = UpstreamConnectionPool(
            address: address,
            capacity: settings.maximumInFlight,
            maximumBodyBytes: Self.maximumResponseBytes
        )
        self.encoder = UpstreamRequestEncoder(requestPath: settings.requestPath)
        self.timeout = TimeAmount(settings.timeout)
        self.signingKeys = settings.signingKeyring?.entries.map(\.key) ?? []
    }

    /// Sends every message of the lease in order (the raw body when it has none); stops at the first
    /// that is not acknowledged. The whole attempt shares one deadline, the configured timeout.
    func send(_ lease: DeliveryLease, attempt: Int) async -> AttemptResult {
        let deadline = NIODeadline.now() + timeout
        let received = lease.record.received
        let messages =
            lease.messages.isEmpty
            ? [OutboundMessage(contentType: received.headers.contentType ?? "application/json", body: received.body)]
            : lease.messages
        var last = AttemptResult.delivered(status: 200)
        for (position, message) in messages.enumerated() {
            last = await post(message, lease: lease, position: position, attempt: attempt, deadline: deadline)
            guard case .delivered = last else { return last }
        }
        return last
    }

    /// POSTs one message and classifies the answer.
    private func post(
        _ message: OutboundMessage,
        lease: DeliveryLease,
        position: Int,
        attempt: Int,
        deadline: NIODeadline
    ) async -> AttemptResult {
        let record = lease.record
        var signature: SignatureHeaders?
        if !signingKeys.isEmpty {
            // The message id stays the same across attempts, so the payment system can deduplicate by it.
            let messageID = "hookgate-\(record.id.rawValue)-\(position)"
            signature = message.body.withUnsafeBytes { body in
                StandardWebhooksSignatureScheme().sign(
                    body: body,
                    keys: signingKeys,
                    timestamp: Int64(Date().timeIntervalSince1970),
                    messageID: messageID
                )
            }
        }
        do {
            let request = try encoder.encode(message, of: record, attempt: attempt, signature: signature)
            let response = try await pool.execute(request, deadline: deadline)
            return AttemptResult.status(response.status, retryAfter: response.retryAfter, now: Date())
        } catch let error as IOError where error.errnoCode == ENOENT || error.errnoCode == ECONNREFUSED {
            return .away(reason: Self.describe(error))
        } catch {
            return .unreachable(reason: Self.describe(error))
        }
    }

    /// A short, stable description of a transport failure (no body, no secret).
    static func describe(_ error: any Error) -> String {
        if let error = error as? UpstreamTransportError {
            switch error {
            case .timeout: return "timeout"
            case .closedByUpstream: return "connection closed by the upstream"
            case .responseTooLarge(let limit): return "response body longer than \(limit) bytes"
            case .invalidHeaderValue(let name): return "invalid \(name) header value"
            case .shutDown: return "client shut down"
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return "connect timeout"
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed: return "connection closed by the upstream"
            default: return "channel error: \(error)"
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ENOENT: return "socket missing (ENOENT)"
            case ECONNREFUSED: return "connection refused (ECONNREFUSED)"
            case ECONNRESET, EPIPE: return "connection closed by the upstream"
            default: return "I/O error: \(error.description)"
            }
        }
        if error is CancellationError { return "cancelled" }
        if error is HTTPParserError || error is NIOHTTPDecoderError { return "invalid response: \(error)" }
        return "upstream unreachable: \(String(describing: error))"
    }

    /// Closes the connections. Call it once, after the last send.
    func shutdown() async {
        await pool.shutdown()
    }
}

/// The upstream settings cannot be used.
struct UpstreamClientError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
