import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// Logs why clients cannot connect (a TLS handshake that failed, plain HTTP on the TLS port) at `info`, at
/// most once per client address per minute, so an operator can see the reason without a flood.
///
/// Shared by every connection of the ingress. The table of recently logged addresses is bounded; when it is
/// full of addresses seen within the minute, failures of further addresses are only counted.
final class HandshakeFailureLog: Sendable {
    /// Why a handshake failed, as a stable code for the log line.
    enum Reason: String, Sendable {
        /// The client rejected the server's certificate (its CA is unknown to the client).
        case unknownCA = "unknown_ca"
        /// The client offered only protocol versions the server refuses (below TLS 1.2).
        case protocolVersion = "protocol_version"
        /// No cipher suite both sides accept.
        case noSharedCipher = "no_shared_cipher"
        /// The bytes are not TLS (a plain-HTTP request is ``plainHTTP``).
        case notTLS = "not_tls"
        /// A plain-HTTP request on the TLS port (answered 400 `plain_http_on_tls_port`).
        case plainHTTP = "plain_http"
        /// Any other failure; the library's reason is logged beside it.
        case other

        /// What the code means, for the log message.
        var explanation: String {
            switch self {
            case .unknownCA: "the client does not trust the server's certificate (unknown CA)"
            case .protocolVersion: "the client offers only TLS versions below 1.2"
            case .noSharedCipher: "no cipher suite in common with the client"
            case .notTLS: "the client does not speak TLS"
            case .plainHTTP: "the client sent plain HTTP to the TLS port"
            case .other: "the TLS handshake failed"
            }
        }
    }

    /// How often one address is logged.
    static let interval = TimeAmount.minutes(1)
    /// How many addresses are remembered at most.
    static let maximumAddresses = 4096

    private struct Entry {
        var loggedAt: NIODeadline
        var suppressed: Int
    }

    private let logger: Logger
    private let now: @Sendable () -> NIODeadline
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// - Parameters:
    ///   - logger: Where the lines go (`info`).
    ///   - now: The clock (NIO's monotonic one; tests pass their own).
    init(logger: Logger, now: @escaping @Sendable () -> NIODeadline = { .now() }) {
        self.logger = logger
        self.now = now
    }

    /// Logs a failure of `peer` unless its address was logged within the minute; then the failure is counted
    /// and reported with the next line for that address.
    /// - Returns: whether a line was written.
    @discardableResult
    func record(_ reason: Reason, peer: WebhookPipeline.Peer, detail: String? = nil) -> Bool {
        let address = peer.host
        let now = self.now()
        let suppressed: Int? = self.entries.withLockedValue { entries in
            if var entry = entries[address], now - entry.loggedAt < Self.interval {
                entry.suppressed += 1
                entries[address] = entry
                return nil
            }
            if entries[address] == nil, entries.count >= Self.maximumAddresses {
                entries = entries.filter { now - $0.value.loggedAt < Self.interval }
                guard entries.count < Self.maximumAddresses else { return nil }
            }
            let earlier = entries[address]?.suppressed ?? 0
            entries[address] = Entry(loggedAt: now, suppressed: 0)
            return earlier
        }
        guard let suppressed else { return false }
        var metadata: Logger.Metadata = [
            LogKey.peer: "\(peer.description)",
            LogKey.tlsFailureReason: "\(reason.rawValue)",
        ]
        if let detail { metadata[LogKey.errorType] = "\(detail)" }
        if suppressed > 0 { metadata[LogKey.suppressed] = "\(suppressed)" }
        self.logger.info("client cannot connect: \(reason.explanation)", metadata: metadata)
        return true
    }

    /// BoringSSL's error names, by the reason they stand for.
    private static let reasonsByName: [String: Reason] = [
        "TLSV1_ALERT_UNKNOWN_CA": .unknownCA, "SSLV3_ALERT_BAD_CERTIFICATE": .unknownCA,
        "SSLV3_ALERT_CERTIFICATE_UNKNOWN": .unknownCA,
        "UNSUPPORTED_PROTOCOL": .protocolVersion, "TLSV1_ALERT_PROTOCOL_VERSION": .protocolVersion,
        "NO_SHARED_CIPHER": .noSharedCipher,
        "HTTP_REQUEST": .plainHTTP, "HTTPS_PROXY_REQUEST": .plainHTTP,
        "WRONG_VERSION_NUMBER": .notTLS, "UNKNOWN_PROTOCOL": .notTLS, "WRONG_SSL_VERSION": .notTLS,
        "UNEXPECTED_RECORD": .notTLS, "ENCRYPTED_LENGTH_TOO_LONG": .notTLS,
    ]

    /// The reason of a failed handshake, from BoringSSL's error names, and the last of those names.
    static func classify(_ error: NIOSSLError) -> (reason: Reason, detail: String?) {
        guard case .handshakeFailed(let underlying) = error else { return (.other, "\(error)") }
        // BoringSSL's errors read "error:1000010b:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER".
        let names = "\(underlying)".split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
            .filter { $0.contains("_") && $0.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } }
            .map(String.init)
        let reason = names.lazy.compactMap { Self.reasonsByName[$0] }.first ?? .other
        return (reason, names.last)
    }
}
