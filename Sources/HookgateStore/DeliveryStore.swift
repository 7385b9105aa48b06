public import Foundation

/// Durable storage of webhook deliveries: the gateway's promise that an acknowledged event is kept.
///
/// Every method that replicas sharing one database could race on is one atomic statement or
/// transaction in every backend, so the protocol fits an embedded SQLite file as well as a
/// PostgreSQL database behind several gateways. All errors thrown are ``StoreError``.
public protocol DeliveryStore: DeliveryReader {
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
    ///   - asReplay: Counts the requeue as a replay (``DeliveryRecord/replayCount``).
    ///   - now: When it becomes due.
    /// - Throws: ``StoreError/Code/deliveryNotFound``, or ``StoreError/Code/deliveryBusy`` while a worker holds an unexpired lease.
    func requeue(_ id: DeliveryID, asReplay: Bool, now: Date) async throws(StoreError)

    /// Prepares the deliveries not prepared yet, then leases up to `limit` due deliveries: pending and
    /// due, or with an expired lease, oldest due first.
    ///
    /// Of the unfinished deliveries sharing an ordering key, only the one with the earliest event time is
    /// leased, when it is due; the others wait, also while it waits for a retry.
    /// - Parameters:
    ///   - now: The current time.
    ///   - leaseDuration: How long the worker may take before the delivery is claimable again.
    ///   - limit: The most leases to return.
    ///   - preparing: Decides what to forward for a delivery, from its body. Called outside any
    ///     transaction; its results are applied, with the facts they claim, in one transaction with the
    ///     leases. A delivery that a replica prepared meanwhile keeps that replica's preparation.
    func claimDue(
        now: Date,
        leaseDuration: Duration,
        limit: Int,
        preparing: @escaping @Sendable (DeliveryRecord) -> DeliveryPreparation
    ) async throws(StoreError) -> [DeliveryLease]

    /// Records an attempt and moves the delivery to the outcome's state, in one transaction.
    /// - Throws: ``StoreError/Code/leaseLost`` when the lease is no longer the delivery's current one.
    func completeAttempt(
        _ lease: DeliveryLease,
        report: AttemptReport,
        outcome: AttemptOutcome
    ) async throws(StoreError)

    /// Deletes finished deliveries (delivered, skipped, dead) received before `now` minus the
    /// retention window, with their attempts and dedup keys, in small transactions.
    /// Pending and delivering deliveries are never purged.
    /// - Returns: How many deliveries were deleted.
    func purgeExpired(now: Date) async throws(StoreError) -> Int

    /// Sets the function called after appends or requeues of this process that may have made a delivery
    /// due, so a worker can claim at once instead of at its next poll. It must return quickly.
    func setWorkObserver(_ observer: @escaping @Sendable () -> Void)

    /// Sets (or, with nil, removes) the worker's offer to lease new deliveries in the transaction that
    /// stores them. A backend without the optimisation ignores it; claims still find every delivery.
    func setImmediateClaimer(_ claimer: ImmediateClaimer?)

    /// Finishes the appends already accepted, then refuses new ones with ``StoreError/Code/storeUnavailable``.
    func close() async
}

extension DeliveryStore {
    /// Leases due deliveries, preparing new ones to be forwarded raw and unordered.
    public func claimDue(now: Date, leaseDuration: Duration, limit: Int) async throws(StoreError) -> [DeliveryLease] {
        try await claimDue(now: now, leaseDuration: leaseDuration, limit: limit) { _ in .forward(.raw) }
    }
}
