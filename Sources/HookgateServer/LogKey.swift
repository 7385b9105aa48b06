/// The metadata keys of every ingress log line, in one place (dotted, as swift-log's best practices advise).
///
/// Values are never secrets, signatures, header values or bodies.
public enum LogKey {
    /// The configured endpoint name (`hookgate.endpoint`).
    public static let endpoint = "hookgate.endpoint"
    /// The provider's event id (`hookgate.event.id`).
    public static let eventID = "hookgate.event.id"
    /// The stable outcome code of a request, `ok`, `duplicate` or an error code (`hookgate.outcome`).
    public static let outcome = "hookgate.outcome"
    /// The HTTP status answered (`http.response.status_code`).
    public static let statusCode = "http.response.status_code"
    /// Time from the request head to the answer, in milliseconds (`hookgate.latency_ms`).
    public static let latencyMilliseconds = "hookgate.latency_ms"
    /// The client's address and port (`client.address`).
    public static let peer = "client.address"
    /// The label of the key that verified the signature (`hookgate.key.label`).
    public static let keyLabel = "hookgate.key.label"
    /// A listening address (`server.address`).
    public static let serverAddress = "server.address"
    /// An error's type or stable code (`error.type`).
    public static let errorType = "error.type"
    /// The request's path, without the query, bounded (`url.path`).
    public static let path = "url.path"
    /// Why a client could not connect: `unknown_ca`, `protocol_version`, `not_tls`, ... (`hookgate.tls.failure`).
    public static let tlsFailureReason = "hookgate.tls.failure"
    /// How many like events were not logged since the last line (`hookgate.suppressed`).
    public static let suppressed = "hookgate.suppressed"
    /// A command's CloudEvent id (`hookgate.command.id`).
    public static let commandID = "hookgate.command.id"
    /// A command's type, `payment-requested` or `refund-requested` (`hookgate.command.type`).
    public static let commandKind = "hookgate.command.type"
    /// A readiness problem (`hookgate.readiness`).
    public static let readiness = "hookgate.readiness"
}
