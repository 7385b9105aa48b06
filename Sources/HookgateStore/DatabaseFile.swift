#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Creating the database file before SQLite does, so that it (and the `-wal` and `-shm` files,
/// which SQLite creates with the database file's mode) is readable by its owner only.
enum DatabaseFile {
    /// Creates an empty file with mode 0600 unless one exists; leaves an existing file as it is.
    /// - Throws: ``StoreError/Code/storeUnavailable`` when the file cannot be created.
    static func createIfMissing(atPath path: String) throws(StoreError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            return
        }
        let error = errno
        guard error == EEXIST else {
            throw .storeUnavailable(detail: "cannot create database file (errno \(error))")
        }
    }

    /// `no database file at '<path>'` when nothing exists at `path`, else nil.
    static func missingReason(atPath path: String) -> String? {
        access(path, F_OK) == 0 ? nil : "no database file at '\(path)'"
    }
}
