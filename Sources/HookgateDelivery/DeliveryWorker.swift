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
/// While it has free slots, the store leases new deliveries to it in the transaction that stores them
/// (``ImmediateClaimer``): they go out right after their commit. Others are claimed as soon as the store
/// reports them, retries when their time comes (polled).
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
        // Whether to run a claim at the next wake-up: new deliveries the store did not lease at their commit,
        // the poll (retries come due), or a full claim (more may be due) ask for one; leases handed over at
        // commit and a freed slot alone do not.
        let claimWanted = Flag(true)
        let inFlight = InFlightCount()
        let handedOver = LeaseInbox()
        store.setWorkObserver {
            claimWanted.set()
            wakeup.yield()
        }
        store.setImmediateClaimer(
            ImmediateClaimer(
                budget: { [settings] in settings.maximumInFlight - inFlight.value - handedOver.count },
                leaseDuration: settings.timeout + Self.leaseMargin,
                preparing: { record in self.preparer.withLock { $0 }.prepare(record) },
                leased: { leases in
                    handedOver.append(leases)
                    wakeup.yield()
                }
            )
        )
        let poller = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.pollInterval)
                claimWanted.set()
                wakeup.yield()
            }
        }
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
                    // Leased at their commit, within the budget of free slots: they go at once.
                    handedOver.takeAll().forEach(dispatch)
                    while inFlight.value < settings.maximumInFlight {
                        if claimed.isEmpty {
                            guard claimWanted.take() else { break }
                            do {
                                claimed = try await claim().reversed()
                            } catch {
                                if Task.isCancelled { break }
                                logger.error("cannot claim deliveries", metadata: ["error": "\(error)"])
                                try? await Task.sleep(for: .seconds(1))
                                claimWanted.set()
                                wakeup.yield()
                                break
                            }
                            if claimed.count == 2 * settings.maximumInFlight { claimWanted.set() }
                            if claimed.isEmpty { break }
                        }
                        dispatch(claimed.removeLast())
                    }
                }
                // Shutting down: the leases claimed ahead are attempted rather than left to expire.
                store.setImmediateClaimer(nil)
                (claimed.reversed() + handedOver.takeAll()).forEach(dispatch)
            }
        } onGracefulShutdown: {
            wakeup.finish()
        }
        poller.cancel()
        store.setWorkObserver {}
        store.setImmediateClaimer(nil)
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

/// Leases the store handed over at their commit, waiting for the claim loop.
private final class LeaseInbox: Sendable {
    private let leases = Mutex<[DeliveryLease]>([])

    var count: Int { leases.withLock { $0.count } }

    func append(_ new: [DeliveryLease]) {
        leases.withLock { $0 += new }
    }

    func takeAll() -> [DeliveryLease] {
        leases.withLock { leases in
            defer { leases = [] }
            return leases
        }
    }
}

/// A flag set by one task and taken (read and cleared) by another.
private final class Flag: Sendable {
    private let value: Mutex<Bool>

    init(_ value: Bool) {
        self.value = Mutex(value)
    }

    func set() {
        value.withLock { $0 = true }
    }

    func take() -> Bool {
        value.withLock { value in
            defer { value = false }
            return value
        }
    }
}
