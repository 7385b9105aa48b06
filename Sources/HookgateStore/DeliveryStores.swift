/// Opens the store a ``DeliveryStoreConfiguration`` names, whatever its backend: the one place that knows
/// which type serves which backend.
public enum DeliveryStores {
    /// Opens (creating and migrating if needed) the store of deliveries and commands for reading and writing. Blocks while doing so.
    /// Call ``DeliveryStore/close()`` when done.
    /// - Throws: ``StoreError/Code/invalidConfiguration``, ``StoreError/Code/incompatibleSchema`` when a newer
    ///   Hookgate migrated it, or ``StoreError/Code/storeUnavailable``.
    public static func open(
        _ configuration: DeliveryStoreConfiguration
    ) throws(StoreError) -> any DeliveryStore & CommandStore {
        switch configuration.backend {
        case .sqlite: try SQLiteDeliveryStore(configuration: configuration.sqlite)
        case .postgres: try PostgresDeliveryStore(configuration: configuration.postgres)
        }
    }

    /// Opens the store (deliveries and commands) read-only, beside a running gateway or on a stopped one's store; never creates,
    /// migrates or writes it.
    /// - Throws: ``StoreError/Code/storeUnavailable`` when it does not exist or cannot be read;
    ///   ``StoreError/Code/incompatibleSchema`` when it is not at the schema this version writes.
    public static func openReader(
        _ configuration: DeliveryStoreConfiguration
    ) throws(StoreError) -> any DeliveryReader & CommandReader {
        switch configuration.backend {
        case .sqlite: try SQLiteDeliveryReader(path: configuration.location)
        case .postgres:
            try PostgresDeliveryReader(url: configuration.location, password: configuration.postgres.password)
        }
    }

    /// Why the store does not exist yet (for SQLite, `no database file at '<path>'`), or nil when it does.
    /// ``open(_:)`` would create it, so commands that only work on stored deliveries check this first.
    /// For PostgreSQL nil: whether the database exists and is migrated shows when the reader opens it.
    public static func missingReason(_ configuration: DeliveryStoreConfiguration) -> String? {
        switch configuration.backend {
        case .sqlite: DatabaseFile.missingReason(atPath: configuration.location)
        case .postgres: nil
        }
    }
}
