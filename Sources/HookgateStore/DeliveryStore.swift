public import Foundation
public import ServiceLifecycle

/// Durable storage of webhook deliveries: the gateway's promise that an acknowledged event is kept.
///
/// Every operation takes and returns plain values: the store never calls the worker. Every method that
/// replicas sharing one database could race on is one atomic statement or transaction in every backend,
/// so the protocol fits an embedded SQLite file as well as a PostgreSQL database behind several
/// gateways. All errors thrown are ``StoreError``.
///
/// A store is a `Service`: its committers (and a backend's housekeeping, such as checkpoints and the
/// retention purge) run inside ``run()``. Appends wait until it runs; a graceful shutdown or ``close()``
/// finishes the appends already accepted, then ``run()`` returns.
public protocol DeliveryStore: DeliveryReader, Service {
    /// Stores a delivery unless its endpoint and event id were stored before; returns once committed.
    ///
    /// The dedup check and the insert are one transaction. Cancelling the calling task does not
    /// abandon the append: it still returns only once its batch was written (or failed).
    /// - Throws: ``StoreError/Code/storeOverloaded`` at once when too many appends are waiting;
    ///   ``StoreError/Code/storeUnavailable`` when the write failed. Nothing was stored then.
    func append(_ delivery: NewDelivery) async throws(StoreError) -> AppendResult

    /// Makes a delivery due again at `now`, e.g. for a replay; it keeps its id and attempts.
    /// - Parameters:
    ///   - id: The delivery.
    ///   - asReplay: Counts the requeue as a replay (``DeliveryRecord/replayCount``); a replay is prepared
    ///     again, and the facts claimed before no longer suppress it.
    ///   - now: When it becomes due.
    /// - Throws: ``StoreError/Code/deliveryNotFound``, or ``StoreError/Code/deliveryBusy`` while a worker holds an unexpired lease.
    func requeue(_ id: DeliveryID, asReplay: Bool, now: Date) async throws(StoreError)

    /// Up to `limit` unfinished deliveries not prepared yet, oldest received first (received time, then id). A
    /// store shared by replicas leaves out those another replica was found preparing, until the next claim.
    ///
    /// The worker decides what to forward for each (``DeliveryPreparation``), outside every store
    /// transaction, and hands the decisions to ``applyPreparations(_:now:)``.
    func unprepared(limit: Int) async throws(StoreError) -> [DeliveryRecord]

    /// Applies the worker's decisions, each atomically with the facts its messages claim.
    ///
    /// A delivery that is no longer unprepared (a replica prepared it meanwhile, or it finished) keeps what
    /// it has; one a replica is preparing at this moment may be left to that replica. A delivery whose messages all announce facts another delivery claimed first (or that such a
    /// fact supersedes) is skipped with the reason, unless it is a replay.
    func applyPreparations(_ preparations: [PreparedDelivery], now: Date) async throws(StoreError)

    /// Applies `preparations` (as ``applyPreparations(_:now:)`` does), then leases up to `limit` prepared, due
    /// deliveries, in one transaction: pending and due, or with an expired lease, oldest due first.
    ///
    /// Of the unfinished deliveries sharing an ordering key, only the one with the earliest event time
    /// (then the smallest id) is leased, when it is due; the others wait, also while it waits for a
    /// retry. Deliveries not prepared yet are never leased, and one with an ordering key waits while an
    /// unfinished delivery received before it (received time, then id) is not prepared yet: its key could be
    /// the same, so a payment's events received by a claim are ordered together, however long the backlog of
    /// preparation.
    /// - Parameters:
    ///   - now: The current time.
    ///   - leaseDuration: How long the worker may take before the delivery is claimable again.
    ///   - limit: The most leases to return.
    ///   - preparations: The worker's decisions for the last deliveries it prepared: applied in the claim's
    ///     transaction, so that a claim right after new deliveries costs one write, not two.
    func claimDue(
        now: Date,
        leaseDuration: Duration,
        limit: Int,
        applying preparations: [PreparedDelivery]
    ) async throws(StoreError) -> [DeliveryLease]

    /// Records an attempt and moves the delivery to the outcome's state, in one transaction.
    /// - Throws: ``StoreError/Code/leaseLost`` when the lease is no longer the delivery's current one.
    func completeAttempt(
        _ lease: DeliveryLease,
        report: AttemptReport,
        outcome: AttemptOutcome
    ) async throws(StoreError)

    /// Deletes finished deliveries (delivered, skipped, dead) received before `now` minus the
    /// retention window, with their attempts and dedup keys, in small transactions; a backend that is also a
    /// ``CommandStore`` then deletes its finished commands (delivered, dead) received before then too, with
    /// their attempts. Pending and delivering deliveries and commands are never purged.
    /// - Returns: How many deliveries and commands were deleted.
    func purgeExpired(now: Date) async throws(StoreError) -> Int

    /// Hints, one element at a time, that deliveries may need preparing or may have become due: after
    /// appends and requeues of this process. A hint is not a promise (another replica may take the work
    /// first) and hints coalesce; deliveries of other replicas and retries coming due are found by
    /// polling. Each call returns a new sequence; it ends when the store closes.
    func workAvailable() -> AsyncStream<Void>

    /// Finishes the appends already accepted, then refuses new ones with ``StoreError/Code/storeUnavailable``;
    /// returns once ``run()`` finished (at once when it never ran).
    func close() async
}

extension DeliveryStore {
    /// Leases up to `limit` prepared, due deliveries (``claimDue(now:leaseDuration:limit:applying:)`` with
    /// nothing to apply).
    public func claimDue(now: Date, leaseDuration: Duration, limit: Int) async throws(StoreError) -> [DeliveryLease] {
        try await claimDue(now: now, leaseDuration: leaseDuration, limit: limit, applying: [])
    }
}

/// The worker's decision for one delivery, for ``DeliveryStore/applyPreparations(_:now:)``.
public struct PreparedDelivery: Hashable, Sendable {
    /// The delivery.
    public var id: DeliveryID
    /// What to do with it.
    public var preparation: DeliveryPreparation

    /// Creates a decision.
    public init(id: DeliveryID, preparation: DeliveryPreparation) {
        self.id = id
        self.preparation = preparation
    }
}
