/// How long finished deliveries (and so their dedup keys) and finished commands (and so their CloudEvent ids) are
/// kept, and how purges are paced.
public struct RetentionPolicy: Hashable, Sendable {
    /// The shortest window accepted: Stripe retries a delivery for up to three days, and a
    /// shorter window would let a late retry through dedup as a new event.
    public static let minimumWindow: Duration = .seconds(3 * 24 * 3600)

    /// Finished deliveries and commands received longer ago than this are purged. Default: 30 days.
    public var window: Duration
    /// Rows deleted per purge transaction; small, so appends wait at most one short batch. Default: 500.
    public var batchSize: Int
    /// How often a running store purges (it also purges when it starts). Default: one hour. Nil: the store
    /// never purges on its own (`hookgate deliveries purge` still does).
    public var purgeInterval: Duration?

    /// Creates a policy; call ``validate()`` before use (the store configuration does).
    public init(
        window: Duration = .seconds(30 * 24 * 3600),
        batchSize: Int = 500,
        purgeInterval: Duration? = .seconds(3600)
    ) {
        self.window = window
        self.batchSize = batchSize
        self.purgeInterval = purgeInterval
    }

    /// Checks the window is at least ``minimumWindow`` and the batch size positive.
    /// - Throws: ``StoreError/Code/invalidConfiguration``.
    public func validate() throws(StoreError) {
        guard window >= Self.minimumWindow else {
            throw .invalidConfiguration("retention window must be at least 3 days (Stripe retries for up to 3 days)")
        }
        guard batchSize > 0 else {
            throw .invalidConfiguration("retention batch size must be positive")
        }
        if let purgeInterval, purgeInterval <= .zero {
            throw .invalidConfiguration("retention purge interval must be positive")
        }
    }
}
