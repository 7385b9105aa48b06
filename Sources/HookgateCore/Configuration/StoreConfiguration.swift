/// The delivery store as configured (`store`).
public struct StoreConfiguration: Sendable, Hashable {
    /// The kind of store (`backend`). Default: ``StoreBackend/sqlite``.
    public var backend: StoreBackend
    /// The SQLite database file (`path`); `nil`, the default, for `<data dir>/hookgate.sqlite`.
    public var path: String?
    /// Days finished deliveries are kept (`retention_days`). Default: 30; the store requires at least 3.
    public var retentionDays: Int
    /// The PostgreSQL database (`postgres`), for ``StoreBackend/postgres``.
    public var postgres: PostgresStoreConfiguration

    public init(
        backend: StoreBackend = .sqlite,
        path: String? = nil,
        retentionDays: Int = 30,
        postgres: PostgresStoreConfiguration = PostgresStoreConfiguration()
    ) {
        self.backend = backend
        self.path = path
        self.retentionDays = retentionDays
        self.postgres = postgres
    }
}
