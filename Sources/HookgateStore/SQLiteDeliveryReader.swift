import Foundation
import GRDB

/// Read-only access to the SQLite store's file, for inspecting deliveries beside a running gateway or on a
/// stopped one's file.
///
/// It opens one read-only connection: no migration, no group committer, no checkpoints, so it never
/// disturbs the gateway writing the same file (WAL readers do not block the writer). Each call reads one
/// consistent snapshot.
public final class SQLiteDeliveryReader: DeliveryReader {
    let queue: DatabaseQueue

    /// Opens the database at `path` read-only.
    /// - Throws: ``StoreError/Code/storeUnavailable`` when the file does not exist or cannot be read;
    ///   ``StoreError/Code/incompatibleSchema`` when it is not at the schema this version writes (migrated
    ///   by a newer Hookgate, or never fully migrated).
    public init(path: String) throws(StoreError) {
        if let missing = DatabaseFile.missingReason(atPath: path) { throw .storeUnavailable(detail: missing) }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(5)
            queue = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = SQLiteDeliveryStore.migrator
            let (superseded, complete) = try queue.read { db in
                (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
            }
            if superseded {
                throw StoreError.incompatibleSchema(detail: "the database has migrations this version does not know")
            }
            if !complete {
                throw StoreError.incompatibleSchema(
                    detail: "the database lacks migrations of this version (start serve once to migrate it)"
                )
            }
        } catch {
            throw StoreError.unavailable(from: error)
        }
    }

    /// Runs `body` in one read transaction; errors become ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await queue.read(body)
        } catch {
            throw StoreError.unavailable(from: error)
        }
    }
}
