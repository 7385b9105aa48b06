import Metrics
import NIOConcurrencyHelpers
public import Prometheus

/// The ingress metrics, registered in a Prometheus registry that ``AdminServer`` serves at `/metrics`.
///
/// Names follow OpenTelemetry where a convention exists (`http.server.request.duration`,
/// `http.server.active_requests`) and carry a `hookgate.` prefix otherwise; Prometheus sees dots as
/// underscores. Label values come only from bounded sets: configured endpoint names and stable codes.
public final class GatewayMetrics: Sendable {
    /// The registry the metrics live in.
    public let registry: PrometheusCollectorRegistry
    /// Makes metrics in ``registry``, for other parts of the gateway (the delivery worker).
    public let factory: PrometheusMetricsFactory
    private let counters = NIOLockedValueBox<[Key: Metrics.Counter]>([:])
    private let timers = NIOLockedValueBox<[Key: Metrics.Timer]>([:])
    private let activeRequests: Metrics.Meter
    private let openConnections: Metrics.Meter
    private let tlsHandshakeFailures: Metrics.Counter
    private let storeAppendDuration: Metrics.Timer

    /// The label used for requests that matched no endpoint.
    static let noEndpoint = "none"

    /// Registers the ingress metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        self.activeRequests = Metrics.Meter(label: "http.server.active_requests", factory: factory)
        self.openConnections = Metrics.Meter(label: "hookgate.connections.open", factory: factory)
        self.tlsHandshakeFailures = Metrics.Counter(label: "hookgate.tls.handshake.failures", factory: factory)
        self.storeAppendDuration = Metrics.Timer(label: "hookgate.store.append.duration", factory: factory)
    }

    /// Counts one answered request by endpoint and outcome (`ok`, `duplicate` or an error code) and records
    /// its duration.
    func requestFinished(endpoint: String, outcome: String, duration: Duration) {
        self.counter("hookgate.requests", ("endpoint", endpoint), ("outcome", outcome)).increment()
        self.timer("http.server.request.duration", ("endpoint", endpoint)).recordNanoseconds(
            duration.nanoseconds
        )
    }

    /// Counts a signature that did not verify, by its stable reason code.
    func verificationFailed(endpoint: String, reason: String) {
        self.counter("hookgate.verification.failures", ("endpoint", endpoint), ("reason", reason)).increment()
    }

    /// Counts an event that was already stored.
    func duplicate(endpoint: String) {
        self.counter("hookgate.duplicates", ("endpoint", endpoint)).increment()
    }

    /// Counts one answer of the commands socket by command type (`payment-requested`, `refund-requested`, or
    /// `unknown` when the body named none) and outcome (`accepted`, `duplicate` or an error code).
    func commandAnswered(kind: String, outcome: String) {
        self.counter("hookgate.commands", ("kind", kind), ("outcome", outcome)).increment()
    }

    /// Records how long a store append (group commit included) took.
    func storeAppended(duration: Duration) {
        self.storeAppendDuration.recordNanoseconds(duration.nanoseconds)
    }

    /// A request started (+1) or finished (-1) being processed.
    func activeRequestsChanged(by delta: Int) {
        self.activeRequests.increment(by: Double(delta))
    }

    /// A connection opened (+1) or closed (-1).
    func openConnectionsChanged(by delta: Int) {
        self.openConnections.increment(by: Double(delta))
    }

    /// Counts a connection closed at accept, before TLS, by reason (`connection_limit`, `draining`,
    /// `source_not_allowed`).
    func connectionRefused(reason: String) {
        self.counter("hookgate.connections.refused", ("reason", reason)).increment()
    }

    /// Counts a failed TLS handshake.
    func tlsHandshakeFailed() {
        self.tlsHandshakeFailures.increment()
    }

    /// The cached counter for a label and one or two dimensions; the dimensions array is built only once.
    private func counter(
        _ label: String,
        _ first: (String, String),
        _ second: (String, String)? = nil
    ) -> Metrics.Counter {
        let key = Key(label: label, first: first.1, second: second?.1)
        return self.counters.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let counter = Metrics.Counter(
                label: label,
                dimensions: [first] + (second.map { [$0] } ?? []),
                factory: self.factory
            )
            counters[key] = counter
            return counter
        }
    }

    /// The cached timer for a label and one dimension.
    private func timer(_ label: String, _ dimension: (String, String)) -> Metrics.Timer {
        let key = Key(label: label, first: dimension.1, second: nil)
        return self.timers.withLockedValue { timers in
            if let timer = timers[key] { return timer }
            let timer = Metrics.Timer(
                label: label,
                dimensions: [dimension],
                preferredDisplayUnit: .seconds,
                factory: self.factory
            )
            timers[key] = timer
            return timer
        }
    }

    /// A metric's label and dimension values: the cache key (no string is built per request).
    private struct Key: Hashable {
        var label: String
        var first: String?
        var second: String?
    }

}

extension Duration {
    /// The duration in whole nanoseconds.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
