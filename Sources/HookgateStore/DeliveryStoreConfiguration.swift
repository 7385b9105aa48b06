/// Which backend keeps the deliveries, where, and for how long: what ``DeliveryStores`` opens.
///
/// Its description never shows a password.
public struct DeliveryStoreConfiguration: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The kinds of store Hookgate can open.
    public enum Backend: String, Hashable, Sendable, CaseIterable {
        /// One SQLite file on this machine, the embedded default.
        case sqlite
        /// A PostgreSQL database, which several gateway replicas can share.
        case postgres
    }

    /// The kind of store.
    public var backend: Backend
    /// Where the store is: for ``Backend/sqlite``, the database file's path; for ``Backend/postgres``, the
    /// database's URL, `postgres://user[:password]@host[:port]/database[?sslmode=...]`.
    public var location: String
    /// How long finished deliveries are kept.
    public var retention: RetentionPolicy
    /// For ``Backend/postgres``: the password, when it does not come from the URL (read by the caller from an
    /// environment variable or a file); it wins over the URL's. Never shown.
    public var password: String?
    /// For ``Backend/postgres``: the most connections the store opens; nil for the store's default.
    public var poolSize: Int?

    /// Creates a configuration; by default an SQLite file with a 30-day retention.
    public init(
        backend: Backend = .sqlite,
        location: String,
        retention: RetentionPolicy = RetentionPolicy(),
        password: String? = nil,
        poolSize: Int? = nil
    ) {
        self.backend = backend
        self.location = location
        self.retention = retention
        self.password = password
        self.poolSize = poolSize
    }

    /// Where the store is, for messages and logs: the SQLite database file's path, or the PostgreSQL URL without
    /// its password.
    public var description: String {
        switch self.backend {
        case .sqlite: self.location
        case .postgres: PostgresDeliveryStore.Configuration(url: self.location).description
        }
    }

    /// The same as ``description``: debug output never shows a password either.
    public var debugDescription: String { description }

    /// The database file the store keeps on this machine, if its backend keeps one (SQLite does), so that its
    /// directory can be made before the store is opened.
    public var databaseFile: String? {
        switch self.backend {
        case .sqlite: self.location
        case .postgres: nil
        }
    }

    /// Checks every setting by the backend's own rules.
    /// - Throws: ``StoreError/Code/invalidConfiguration`` naming the bad setting.
    public func validate() throws(StoreError) {
        switch self.backend {
        case .sqlite: try self.sqlite.validate()
        case .postgres: try self.postgres.validate()
        }
    }

    /// The SQLite store's configuration: this location and retention, default batching.
    var sqlite: SQLiteDeliveryStore.Configuration {
        SQLiteDeliveryStore.Configuration(path: self.location, retention: self.retention)
    }

    /// The PostgreSQL store's configuration: this URL, password, pool and retention, default batching.
    var postgres: PostgresDeliveryStore.Configuration {
        var configuration = PostgresDeliveryStore.Configuration(
            url: self.location,
            password: self.password,
            retention: self.retention
        )
        if let poolSize { configuration.poolSize = poolSize }
        return configuration
    }
}
