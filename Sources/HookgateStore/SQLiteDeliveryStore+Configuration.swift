extension SQLiteDeliveryStore {
    /// Where the SQLite store lives and how it batches and retains.
    public struct Configuration: Hashable, Sendable {
        /// The database file; created with mode 0600 if missing (its `-wal` and `-shm` files get the same mode).
        public var path: String
        /// How long finished deliveries are kept.
        public var retention: RetentionPolicy
        /// The most appends committed in one transaction. 1 gives one transaction (and fsync) per append.
        public var maxBatchSize: Int
        /// The most appends waiting to be committed; beyond it appends fail with `storeOverloaded`.
        public var queueCapacity: Int

        /// Creates a configuration with the defaults: 30-day retention, batches of 256, a queue of 4,096.
        public init(
            path: String,
            retention: RetentionPolicy = RetentionPolicy(),
            maxBatchSize: Int = 256,
            queueCapacity: Int = 4096
        ) {
            self.path = path
            self.retention = retention
            self.maxBatchSize = maxBatchSize
            self.queueCapacity = queueCapacity
        }

        /// Checks every setting.
        /// - Throws: ``StoreError/Code/invalidConfiguration`` naming the bad setting.
        public func validate() throws(StoreError) {
            guard !path.isEmpty else { throw .invalidConfiguration("path must not be empty") }
            try retention.validate()
            guard maxBatchSize > 0 else { throw .invalidConfiguration("maxBatchSize must be positive") }
            guard queueCapacity >= maxBatchSize else {
                throw .invalidConfiguration("queueCapacity must be at least maxBatchSize")
            }
        }
    }
}
