import AsyncHTTPClient
import Foundation
import HookgateCore
import HookgateStore
import NIOCore
import NIOHTTP1

/// POSTs a leased delivery's messages to the payment system's Unix socket, over kept-alive HTTP/1.1.
final class UpstreamClient: Sendable {
    /// Most bytes of a response body read (and dropped): the status and headers are what count.
    static let maximumResponseBytes = 64 * 1024

    private let client: HTTPClient
    private let url: String
    private let settings: UpstreamSettings
    private let signingKeys: [HMACKey]

    init(settings: UpstreamSettings) throws {
        guard let url = URL(httpURLWithSocketPath: settings.socketPath, uri: settings.requestPath) else {
            throw UpstreamClientError(reason: "the socket path \(settings.socketPath) cannot form a URL")
        }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(2)),
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: settings.maximumInFlight
            ),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        // A missing or refusing socket fails the attempt at once (and it is retried with backoff), instead
        // of holding the delivery in flight until the socket comes back, past newer events of its payment.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.url = url.absoluteString
        self.settings = settings
        self.signingKeys = settings.signingKeyring?.entries.map(\.key) ?? []
    }

    /// Sends every message of the lease in order (the raw body when it has none); stops at the first
    /// that is not acknowledged. The whole attempt shares one deadline, the configured timeout.
    func send(_ lease: DeliveryLease, attempt: Int) async -> AttemptResult {
        let deadline =
            NIODeadline.now()
            + .nanoseconds(
                Int64(settings.timeout.components.seconds) * 1_000_000_000
                    + settings.timeout.components.attoseconds / 1_000_000_000
            )
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

    private func post(
        _ message: OutboundMessage,
        lease: DeliveryLease,
        position: Int,
        attempt: Int,
        deadline: NIODeadline
    ) async -> AttemptResult {
        let record = lease.record
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: message.contentType)
        request.headers.add(name: "User-Agent", value: "hookgate")
        request.headers.add(name: "Hookgate-Delivery-Id", value: String(record.id.rawValue))
        request.headers.add(name: "Hookgate-Attempt", value: String(attempt))
        request.headers.add(name: "Hookgate-Endpoint", value: record.received.endpoint)
        request.headers.add(
            name: "Hookgate-Received-At",
            value: String(Int64((record.received.receivedAt.timeIntervalSince1970 * 1000).rounded()))
        )
        if !signingKeys.isEmpty {
            // The message id stays the same across attempts, so the payment system can deduplicate by it.
            let messageID = "hookgate-\(record.id.rawValue)-\(position)"
            let signature = message.body.withUnsafeBytes { body in
                StandardWebhooksSignatureScheme().sign(
                    body: body,
                    keys: signingKeys,
                    timestamp: Int64(Date().timeIntervalSince1970),
                    messageID: messageID
                )
            }
            for field in signature.fields { request.headers.add(name: field.name, value: field.value) }
        }
        request.body = .bytes(ByteBuffer(bytes: message.body))
        do {
            let response = try await client.execute(request, deadline: deadline)
            _ = try await response.body.collect(upTo: Self.maximumResponseBytes)
            return AttemptResult.status(
                Int(response.status.code),
                retryAfter: response.headers.first(name: "Retry-After"),
                now: Date()
            )
        } catch {
            return .unreachable(reason: Self.describe(error))
        }
    }

    /// A short, stable description of a transport failure (no body, no secret).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return "timeout"
            case .connectTimeout: return "connect timeout"
            case .remoteConnectionClosed: return "connection closed by the upstream"
            default: return "http client: \(error)"
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ENOENT: return "socket missing (ENOENT)"
            case ECONNREFUSED: return "connection refused (ECONNREFUSED)"
            default: return "I/O error: \(error.description)"
            }
        }
        return "upstream unreachable: \(String(describing: error))"
    }

    /// Closes the connections.
    func shutdown() async {
        try? await client.shutdown()
    }
}

/// The upstream settings cannot be used.
struct UpstreamClientError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
