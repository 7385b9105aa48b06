import Foundation
public import HookgateCore
public import HookgateStore
public import Logging
public import Metrics
import NIOConcurrencyHelpers
public import ServiceLifecycle

/// Forwards stored deliveries to the payment system, at least once: prepares new deliveries (normalizes
/// them, in its own task, never inside a store transaction), claims due deliveries with a lease, POSTs them
/// over the upstream Unix socket, and records every attempt.
///
/// It prepares and claims when the store hints that work is available (``DeliveryStore/workAvailable()``,
/// after this process's appends and requeues) and at every ``pollInterval`` (retries coming due, other
/// replicas' deliveries). Each claim first prepares one page of new deliveries, applied in the claim's
/// transaction; when there were more, a task of its own prepares the rest beside the claims. The store keeps a
/// payment's events in order by leasing a delivery with an ordering key only once everything received before
/// it is prepared, so a backlog of preparation delays those, not every delivery. At most
/// ``UpstreamSettings/maximumInFlight`` attempts run at once. While the payment system is away (its socket
/// missing or refusing connections) it claims nothing and probes the socket every ``presenceProbeInterval``,
/// and claims again once a probe connects. On graceful shutdown the worker stops claiming and lets the
/// attempts in flight finish (each is bounded by the upstream timeout). If the process dies instead, the
/// leases expire and the deliveries are claimed again after the restart.
public final class DeliveryWorker: Service {
    /// How often due retries are looked for when nothing else wakes the worker.
    public static let pollInterval: Duration = .milliseconds(250)
    /// How long after a lease's attempt should have ended it expires: covers a slow store commit.
    static let leaseMargin: Duration = .seconds(30)
    /// Most deliveries prepared in one store transaction.
    static let preparationPageSize = 256
    /// How long the leases of one claim may wait for a free slot, at the recent attempts' pace: a claim leases
    /// as many as the slots attempt in that time (two rounds of slots at least, sixteen at most), so one claim
    /// transaction serves many attempts when the payment system answers fast.
    static let claimedAheadTime: Duration = .seconds(1)
    /// How often the payment system's socket is probed while it is away, and how soon a delivery that found it
    /// away is due again: claims pause while it is away (so a long outage costs one attempt per delivery in
    /// flight when it began, not a backoff schedule), and everything due is claimed once a probe connects.
    static let presenceProbeInterval: Duration = .seconds(1)

    private let store: any DeliveryStore
    let settings: UpstreamSettings
    private let preparer: NIOLockedValueBox<DeliveryPreparer>
    private let beforePreparing: @Sendable (DeliveryRecord) async -> Void
    private let metrics: DeliveryMetrics
    let logger: Logger
    /// Stripe's API, for the objects of thin events; `nil` forwards thin events raw.
    private let stripeAPI: StripeAPISettings?
    /// The client of ``stripeAPI`` while the worker runs.
    let stripeAPIClient = NIOLockedValueBox<StripeAPIClient?>(nil)
    /// Thin events waiting to fetch their object again after a failure a retry may cure.
    let deferrals: PreparationDeferrals
    private let pace = AttemptPace()
    /// Set when an attempt found the payment system away; cleared when a probe of its socket connects.
    private let upstreamAway = Flag(false)
    /// Set while the backlog's preparer runs: claims then leave preparation to it rather than read its pages.
    private let preparingBacklog = Flag(false)

    /// - Parameters:
    ///   - store: Where the deliveries are.
    ///   - upstream: The payment system's socket, path, concurrency, timeout, retry policy and signing key.
    ///   - endpoints: What to forward for each configured endpoint; deliveries of other endpoints are skipped.
    ///   - metricsFactory: Where the delivery metrics are registered.
    ///   - stripeAPI: Stripe's API and key: a thin event whose type maps to a catalog event is then normalized
    ///     from its fetched object. `nil` (the default) forwards thin events raw.
    ///   - beforePreparing: A test hook, awaited before each delivery is prepared (e.g. to make
    ///     normalization slow on purpose). The gateway passes nothing.
    public init(
        store: any DeliveryStore,
        upstream: UpstreamSettings,
        endpoints: [String: EndpointForwarding],
        metricsFactory: any MetricsFactory,
        logger: Logger,
        stripeAPI: StripeAPISettings? = nil,
        beforePreparing: @escaping @Sendable (DeliveryRecord) async -> Void = { _ in }
    ) {
        self.store = store
        self.settings = upstream
        self.preparer = NIOLockedValueBox(DeliveryPreparer(endpoints: endpoints))
        self.beforePreparing = beforePreparing
        self.metrics = DeliveryMetrics(factory: metricsFactory)
        self.logger = logger
        self.stripeAPI = stripeAPI
        self.deferrals = PreparationDeferrals(policy: upstream.retry)
    }

    public func run() async throws {
        let client = try UpstreamClient(settings: settings)
        let api = stripeAPI.map { StripeAPIClient(settings: $0) }
        stripeAPIClient.withLockedValue { $0 = api }
        let (wakeups, wakeup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        // A claim found more new deliveries than one page: the backlog's preparer takes the rest.
        let (backlogs, backlog) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        // Whether to run a claim at the next wake-up: the store's hint, the poll (retries come due) or a full
        // claim (more may be due) ask for one; a freed slot alone does not.
        let claimWanted = Flag(true)
        let inFlight = InFlightCount()
        let hints = store.workAvailable()
        await withDiscardingTaskGroup { wakers in
            wakers.addTask {
                for await _ in hints {
                    claimWanted.set()
                    wakeup.yield()
                }
            }
            wakers.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.pollInterval)
                    claimWanted.set()
                    wakeup.yield()
                }
            }
            wakers.addTask {
                await self.prepare(whenAsked: backlogs) {
                    claimWanted.set()
                    wakeup.yield()
                }
            }
            wakers.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.presenceProbeInterval)
                    guard self.upstreamAway.isSet, UpstreamPresence.accepts(socketPath: self.settings.socketPath)
                    else { continue }
                    self.upstreamAway.take()
                    self.logger.info("the payment system is back: claims resume")
                    claimWanted.set()
                    wakeup.yield()
                }
            }
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { attempts in
                    // Leases claimed ahead of free slots: one claim transaction serves many attempts. The next
                    // claim runs beside the attempts once fewer than a round of slots is left, so the slots do
                    // not wait while it prepares and leases.
                    var claimed: [DeliveryLease] = []
                    var claim: ClaimAhead?
                    func dispatch(_ lease: DeliveryLease) {
                        // A lease that waited so long that it could expire during its attempt is left to expire
                        // (then claimed again) rather than risk a second attempt by whoever claims it next.
                        guard lease.expiresAt.timeIntervalSinceNow > (settings.timeout + .seconds(5)).timeInterval
                        else {
                            logger.warning(
                                "lease left to expire: it waited too long for a free slot",
                                metadata: ["delivery": "\(lease.record.id.rawValue)"]
                            )
                            return
                        }
                        inFlight.add(1)
                        attempts.addTask {
                            await self.attempt(lease, client: client) {
                                inFlight.add(-1)
                                wakeup.yield()
                            }
                        }
                    }
                    /// Takes the leases of the claim running ahead once it has ended.
                    func collect(_ ended: ClaimAhead) async {
                        claim = nil
                        guard let leases = await ended.leases else {
                            claimWanted.set()
                            return
                        }
                        // The leases claimed before are attempted first (`claimed` is taken from its end).
                        claimed = leases.reversed() + claimed
                        if leases.count == ended.limit { claimWanted.set() }
                    }
                    for await _ in wakeups {
                        if let running = claim, running.hasEnded { await collect(running) }
                        // While the payment system is away nothing is claimed (the probe wakes the loop once
                        // it is back), but new deliveries are still prepared (normalized, or skipped).
                        if upstreamAway.isSet {
                            if claim == nil, claimWanted.take() { await prepareWhileAway { backlog.yield() } }
                            continue
                        }
                        while inFlight.value < settings.maximumInFlight, !upstreamAway.isSet {
                            if claim == nil, claimed.count < settings.maximumInFlight, claimWanted.take() {
                                claim = ClaimAhead(limit: claimLimit(), logger: logger) {
                                    (limit: Int) async throws(StoreError) -> [DeliveryLease] in
                                    try await self.prepareAndClaim(limit: limit) { backlog.yield() }
                                } ended: {
                                    wakeup.yield()
                                }
                            }
                            guard !claimed.isEmpty else { break }
                            dispatch(claimed.removeLast())
                        }
                    }
                    // Shutting down: the leases claimed ahead are attempted rather than left to expire.
                    if let running = claim {
                        if Task.isCancelled { running.cancel() }
                        await collect(running)
                    }
                    claimed.reversed().forEach(dispatch)
                }
            } onGracefulShutdown: {
                wakeup.finish()
            }
            wakers.cancelAll()
        }
        await client.shutdown()
        stripeAPIClient.withLockedValue { $0 = nil }
        await api?.shutdown()
    }

    /// Prepares one page of new deliveries (none while the backlog's preparer runs), then leases up to `limit`
    /// due deliveries; the page is applied in the claim's transaction. `moreToPrepare` is called when the page
    /// was full, once it is applied (so that the backlog's preparer does not read it again).
    private func prepareAndClaim(
        limit: Int,
        moreToPrepare: () -> Void
    ) async throws(StoreError) -> [DeliveryLease] {
        let page = preparingBacklog.isSet ? PreparedPage.none : try await prepareNextPage()
        let leases = try await store.claimDue(
            now: Date(),
            leaseDuration: settings.timeout + Self.leaseMargin,
            limit: limit,
            applying: page.decisions
        )
        if page.isFull { moreToPrepare() }
        return leases
    }

    /// Prepares one page without claiming, while the payment system is away (nothing while the backlog's
    /// preparer runs); `moreToPrepare` is called when the page was full.
    private func prepareWhileAway(moreToPrepare: () -> Void) async {
        guard !preparingBacklog.isSet else { return }
        do {
            let page = try await prepareNextPage()
            try await store.applyPreparations(page.decisions, now: Date())
            if page.isFull { moreToPrepare() }
        } catch {
            logger.error("cannot prepare deliveries", metadata: ["error": "\(error)"])
        }
    }

    /// How many deliveries the next claim leases: what the slots attempt in ``claimedAheadTime`` at the recent
    /// attempts' pace, between two and sixteen rounds of ``UpstreamSettings/maximumInFlight``.
    private func claimLimit() -> Int {
        let rounds = pace.averageDuration.map { Int(Self.claimedAheadTime / max($0, .microseconds(1))) } ?? 2
        return settings.maximumInFlight * min(max(rounds, 2), 16)
    }

    /// Prepares a backlog whenever asked, a page at a time, until a page is not full; the store applies each
    /// page with the facts it claims, and `prepared` is called after each, as its deliveries may now be due.
    /// Runs beside the claims until cancelled; a failure is logged and the next request waited for after a
    /// second.
    private func prepare(whenAsked requests: AsyncStream<Void>, prepared: () -> Void) async {
        for await _ in requests {
            preparingBacklog.set()
            do throws(StoreError) {
                while !Task.isCancelled {
                    let page = try await prepareNextPage()
                    try await store.applyPreparations(page.decisions, now: Date())
                    if !page.decisions.isEmpty { prepared() }
                    if !page.isFull { break }
                }
                preparingBacklog.take()
            } catch {
                preparingBacklog.take()
                logger.error("cannot prepare deliveries", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// The worker's decisions for the next page of unprepared deliveries (oldest received first), made outside
    /// every store transaction; not applied yet. A thin event waiting to fetch its object again is left out (it
    /// stays unprepared); the page reads as many more as wait, so that they never hide newer deliveries.
    private func prepareNextPage() async throws(StoreError) -> PreparedPage {
        let preparer = self.preparer.withLockedValue { $0 }
        let limit = Self.preparationPageSize + deferrals.count
        let page = try await store.unprepared(limit: limit)
        // A page shorter than its limit holds every unprepared delivery.
        if page.count < limit { deferrals.forgetAllBut(Set(page.map(\.id))) }
        let preparations = await self.preparations(of: page, by: preparer, beforeEach: beforePreparing)
        let prepared = zip(page, preparations).compactMap { record, preparation in
            preparation.map { PreparedDelivery(id: record.id, preparation: $0) }
        }
        return PreparedPage(decisions: prepared, isFull: page.count == limit)
    }

    /// Whether the payment system is away: an attempt found its socket refusing connections, and no probe of
    /// the socket has connected since (claims wait meanwhile). What a dashboard shows as upstream health.
    public var isUpstreamAway: Bool {
        upstreamAway.isSet
    }

    /// Applies a reloaded configuration's endpoints to the deliveries prepared from now on. (The upstream
    /// settings need a restart.)
    public func reload(endpoints: [String: EndpointForwarding]) {
        preparer.withLockedValue { $0 = DeliveryPreparer(endpoints: endpoints) }
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
        pace.record(duration)
        answered()
        if case .away = result, !upstreamAway.isSet {
            upstreamAway.set()
            logger.warning(
                "the payment system is away: claims pause until its socket accepts connections",
                metadata: ["error": "\(result.error ?? "")"]
            )
        }
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
        case .away: retryAt = now.addingTimeInterval(Self.presenceProbeInterval.timeInterval)
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
    private let count = NIOLockedValueBox(0)

    var value: Int { count.withLockedValue { $0 } }

    func add(_ delta: Int) {
        count.withLockedValue { $0 += delta }
    }
}

/// One page of preparation: the decisions, and whether the store had as many unprepared deliveries as the page
/// read (more may wait).
private struct PreparedPage {
    static let none = PreparedPage(decisions: [], isFull: false)

    var decisions: [PreparedDelivery]
    var isFull: Bool
}

/// The recent attempts' duration, as a moving average (each attempt weighs 1/16).
private final class AttemptPace: Sendable {
    private let average = NIOLockedValueBox<Duration?>(nil)

    var averageDuration: Duration? { average.withLockedValue { $0 } }

    func record(_ duration: Duration) {
        average.withLockedValue { average in
            average = average.map { $0 + (duration - $0) / 16 } ?? duration
        }
    }
}

/// A flag set by one task and taken (read and cleared) by another.
private final class Flag: Sendable {
    private let value: NIOLockedValueBox<Bool>

    init(_ value: Bool) {
        self.value = NIOLockedValueBox(value)
    }

    func set() {
        value.withLockedValue { $0 = true }
    }

    var isSet: Bool { value.withLockedValue { $0 } }

    @discardableResult
    func take() -> Bool {
        value.withLockedValue { value in
            defer { value = false }
            return value
        }
    }
}

/// One claim (preparation of a page, then the lease) running beside the attempts. A failed claim is
/// logged, and ends only after a second, so that a store that is down is not asked again at once.
private final class ClaimAhead: Sendable {
    /// The most deliveries it leases.
    let limit: Int
    private let task: Task<[DeliveryLease]?, Never>
    private let ended = Flag(false)

    /// Starts `claim(limit)`; `ended` is called once it has ended.
    init(
        limit: Int,
        logger: Logger,
        _ claim: @escaping @Sendable (Int) async throws(StoreError) -> [DeliveryLease],
        ended: @escaping @Sendable () -> Void
    ) {
        self.limit = limit
        let flag = self.ended
        task = Task {
            defer {
                flag.set()
                ended()
            }
            do throws(StoreError) {
                return try await claim(limit)
            } catch {
                logger.error("cannot claim deliveries", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                return nil
            }
        }
    }

    /// Stops waiting for the store (the worker is cancelled).
    func cancel() {
        task.cancel()
    }

    /// Whether the claim has ended (its ``leases`` are then at hand).
    var hasEnded: Bool { ended.isSet }

    /// The leases, once the claim ended; nil when it failed.
    var leases: [DeliveryLease]? {
        get async { await task.value }
    }
}
