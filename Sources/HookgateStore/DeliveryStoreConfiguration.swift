/// Which backend keeps the deliveries, where, and for how long: what ``DeliveryStores`` opens.
public struct DeliveryStoreConfiguration: Hashable, Sendable, CustomStringConvertible {
    /// The kinds of store Hookgate can open.
    public enum Backend: String, Hashable, Sendable, CaseIterable {
        /// One SQLite file on this machine, the embedded default.
        case sqlite
    }

    /// The kind of store.
    public var backend: Backend
    /// Where the store is: for ``Backend/sqlite``, the database file's path.
    public var location: String
    /// How long finished deliveries are kept.
    public var retention: RetentionPolicy

    /// Creates a configuration; by default an SQLite file with a 30-day retention.
    public init(backend: Backend = .sqlite, location: String, retention: RetentionPolicy = RetentionPolicy()) {
        self.backend = backend
        self.location = location
        self.retention = retention
    }

    /// Where the store is, for messages and logs: the SQLite database file's path.
    public var description: String {
        switch self.backend {
        case .sqlite: self.location
        }
    }

    /// The database file the store keeps on this machine, if its backend keeps one (SQLite does), so that its
    /// directory can be made before the store is opened.
    public var databaseFile: String? {
        switch self.backend {
        case .sqlite: self.location
        }
    }

    /// Checks every setting by the backend's own rules.
    /// - Throws: ``StoreError/Code/invalidConfiguration`` naming the bad setting.
    public func validate() throws(StoreError) {
        switch self.backend {
        case .sqlite: try self.sqlite.validate()
        }
    }

    /// The SQLite store's configuration: this location and retention, default batching.
    var sqlite: SQLiteDeliveryStore.Configuration {
        SQLiteDeliveryStore.Configuration(path: self.location, retention: self.retention)
    }
}
