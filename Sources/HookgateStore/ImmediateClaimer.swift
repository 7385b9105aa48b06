/// A delivery worker's offer to lease new deliveries in the very transaction that stores them, so that a
/// delivery the worker has room for goes out right after its commit, without a claim of its own.
///
/// Used only while the worker has free slots and nothing older waits to be prepared: under load, new
/// deliveries are claimed the usual way (``DeliveryStore/claimDue(now:leaseDuration:limit:preparing:)``).
public struct ImmediateClaimer: Sendable {
    /// How many more leases the worker can take now.
    public var budget: @Sendable () -> Int
    /// How long a lease lasts.
    public var leaseDuration: Duration
    /// Decides what to forward for a new delivery (as for a claim).
    public var preparing: @Sendable (DeliveryRecord) -> DeliveryPreparation
    /// Receives the leases, right after their commit. It must return quickly.
    public var leased: @Sendable ([DeliveryLease]) -> Void

    /// Creates an offer.
    public init(
        budget: @escaping @Sendable () -> Int,
        leaseDuration: Duration,
        preparing: @escaping @Sendable (DeliveryRecord) -> DeliveryPreparation,
        leased: @escaping @Sendable ([DeliveryLease]) -> Void
    ) {
        self.budget = budget
        self.leaseDuration = leaseDuration
        self.preparing = preparing
        self.leased = leased
    }
}
