/// Which kind of store keeps the deliveries (`store.backend`).
public enum StoreBackend: String, Sendable, Hashable, CaseIterable {
    /// One database file on this machine (the default).
    case sqlite
    /// A PostgreSQL database that several gateway replicas share (`store.postgres`).
    case postgres
}
