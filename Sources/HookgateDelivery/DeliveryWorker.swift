import Foundation
public import HookgateCore
public import HookgateStore
public import Logging
public import Metrics
public import ServiceLifecycle
import Synchronization

/// Forwards stored deliveries to the payment system, at least once: claims due deliveries with a lease,
/// POSTs them over the upstream Unix socket, and records every attempt.
///
/// New deliveries are claimed as soon as the store reports them; retries when their time comes (polled).
/// At most ``UpstreamSettings/maximumInFlight`` attempts run at once. On graceful shutdown the worker
/// stops claiming and lets the attempts in flight finish (each is bounded by the upstream timeout). If the
/// process dies instead, the leases expire and the deliveries are claimed again after the restart.
public final class DeliveryWorker: Service {
    /// How often due retries are looked for when nothing else wakes the worker.
    public static let pollInterval: Duration = .milliseconds(250)
    /// How long after a lease's attempt should have ended it expires: covers a slow store commit.
    static let leaseMargin: Duration = .seconds(30)

    private let store: any DeliveryStore
    private let settings: UpstreamSettings
    private let preparer: Mutex<DeliveryPreparer>
    private let metrics: DeliveryMetrics
    private let logger: Logger

    /// - Parameters:
    ///   - store: Where the deliveries are.
    ///   - upstream: The payment system's socket, path, concurrency, timeout, retry policy and signing key.
    ///   - endpoints: What to forward for each configured endpoint; deliveries of other endpoints are skipped.
    ///   - metricsFactory: Where the delivery metrics are registered.
    public init(
        store: any DeliveryStore,
        upstream: UpstreamSettings,
        endpoints: [String: EndpointForwarding],
        metricsFactory: any MetricsFactory,
        logger: Logger
    ) {
        self.store = store
        self.settings = upstream
        self.preparer = Mutex(DeliveryPreparer(endpoints: endpoints))
        self.metrics = DeliveryMetrics(factory: metricsFactory)
        self.logger = logger
    }

    public func run() async throws {
        let client = try UpstreamClient(settings: settings)
        let (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        store.setWorkObserver { wakeup.yield() }
        let poller = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.pollInterval)
                wakeup.yield()
            }
        }
        let inFlight = InFlightCount()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                // Leases claimed ahead of free slots: one claim transaction serves many attempts.
                var claimed: [DeliveryLease] = []
                func dispatch(_ lease: DeliveryLease) {
                    inFlight.add(1)
                    group.addTask {
                        await self.attempt(lease, client: client) {
                            inFlight.add(-1)
                            wakeup.yield()
                        }
                    }
                }
                for await _ in wakeups {
                    while inFlight.value < settings.maximumInFlight {
                        if claimed.isEmpty {
                            do {
                                claimed = try await claim().reversed()
                            } catch {
                                if Task.isCancelled { break }
                                logger.error("cannot claim deliveries", metadata: ["error": "\(error)"])
                                try? await Task.sleep(for: .seconds(1))
                                wakeup.yield()
                                break
                            }
                            if claimed.isEmpty { break }
                        }
                        dispatch(claimed.removeLast())
                    }
                }
                // Shutting down: the leases claimed ahead are attempted rather than left to expire.
                claimed.reversed().forEach(dispatch)
            }
        } onGracefulShutdown: {
            wakeup.finish()
        }
        poller.cancel()
        store.setWorkObserver {}
        await client.shutdown()
    }

    /// Leases up to twice ``UpstreamSettings/maximumInFlight`` due deliveries, preparing new ones.
    private func claim() async throws(StoreError) -> [DeliveryLease] {
        let preparer = self.preparer.withLock { $0 }
        return try await store.claimDue(
            now: Date(),
            leaseDuration: settings.timeout + Self.leaseMargin,
            limit: 2 * settings.maximumInFlight,
            preparing: { preparer.prepare($0) }
        )
    }

    /// Applies a reloaded configuration's endpoints to the deliveries prepared from now on. (The upstream
    /// settings need a restart.)
    public func reload(endpoints: [String: EndpointForwarding]) {
        preparer.withLock { $0 = DeliveryPreparer(endpoints: endpoints) }
    }

    /// One attempt: send, classify, record. The slot is given back (`answered`) as soon as the upstream
    /// answered, before the record is committed: the lease keeps the delivery's payment waiting until then.
    /// A lost lease is logged; its delivery is someone else's now.
    private func attempt(_ lease: DeliveryLease, client: UpstreamClient, answered: () -> Void) async {
        let record = lease.record
        let number = record.attemptCount + 1
        let started = Date()
        let clock = ContinuousClock()
        let began = clock.now
        let result = await client.send(lease, attempt: number)
        let duration = clock.now - began
        answered()
        let outcome = self.outcome(of: result, attempts: number, receivedAt: record.received.receivedAt)
        let report = AttemptReport(
            startedAt: started,
            duration: duration,
            upstreamStatus: result.upstreamStatus,
            error: result.error
        )
        do {
            try await store.completeAttempt(lease, report: report, outcome: outcome)
        } catch {
            logger.warning(
                "attempt not recorded",
                metadata: ["delivery": "\(record.id.rawValue)", "error": "\(error)"]
            )
            return
        }
        metrics.attemptFinished(outcome: outcome, duration: duration, receivedAt: record.received.receivedAt)
        switch outcome {
        case .delivered:
            break
        case .dead:
            logger.warning(
                "delivery is dead",
                metadata: [
                    "delivery": "\(record.id.rawValue)", "attempts": "\(number)", "error": "\(result.error ?? "")",
                ]
            )
        case .retry(let at):
            logger.debug(
                "delivery will be retried",
                metadata: ["delivery": "\(record.id.rawValue)", "at": "\(at)", "error": "\(result.error ?? "")"]
            )
        case .skipped:
            break
        }
    }

    /// The state the attempt moves the delivery to, by the retry policy.
    func outcome(of result: AttemptResult, attempts: Int, receivedAt: Date, now: Date = Date()) -> AttemptOutcome {
        let policy = settings.retry
        let retryAt: Date
        switch result {
        case .delivered: return .delivered
        case .refused: return .dead
        case .throttled(_, let at?): retryAt = max(at, now)
        case .throttled, .failed, .unreachable:
            retryAt = now.addingTimeInterval(policy.backoff(afterAttempts: attempts).timeInterval)
        }
        return policy.givesUp(afterAttempts: attempts, receivedAt: receivedAt, retryAt: retryAt)
            ? .dead : .retry(at: retryAt)
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// The attempts running now, shared by the claim loop and the attempts.
private final class InFlightCount: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    func add(_ delta: Int) {
        count.withLock { $0 += delta }
    }
}
