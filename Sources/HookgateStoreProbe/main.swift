// A child process for the store's tests; it is not part of the product.
//
//   HookgateStoreProbe append-forever DB TAG   appends until killed; prints each acknowledged event id
//   HookgateStoreProbe fill-disk DB            commits some events, then appends under a file size limit
//                                              (RLIMIT_FSIZE, SIGXFSZ ignored) until the disk "fails"
//
// Lines go to stdout with write(2), one call per line, after the append returned.
import Foundation
import HookgateStore

#if canImport(Glibc)
import Glibc
#endif

/// Writes one line to stdout at once, unbuffered.
func emit(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
}

/// A delivery whose body is derived from its event id, so a reader can check it byte for byte.
func delivery(_ eventID: String, bodySize: Int) -> NewDelivery {
    let seed = Array(eventID.utf8)
    let body = Data((0..<bodySize).map { seed[$0 % seed.count] &+ UInt8(truncatingIfNeeded: $0) })
    return NewDelivery(
        endpoint: "probe",
        eventID: eventID,
        eventType: "payment_intent.succeeded",
        eventCreated: Date(),
        receivedAt: Date(),
        body: body
    )
}

func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

func setFileSizeLimit(_ bytes: rlim_t) {
    var limit = rlimit(rlim_cur: bytes, rlim_max: rlim_t.max)
    precondition(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limit) == 0, "setrlimit failed")
}

/// Appends from 16 concurrent tasks, forever.
func appendForever(path: String, tag: String) async throws {
    let store = try SQLiteDeliveryStore(configuration: .init(path: path))
    emit("ready")
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await store.run() }
        for worker in 0..<16 {
            group.addTask {
                for n in 0... {
                    let eventID = "evt_\(tag)_\(worker)_\(n)"
                    _ = try await store.append(delivery(eventID, bodySize: 300))
                    emit(eventID)
                }
            }
        }
        try await group.waitForAll()
    }
}

/// Commits 20 events, then appends 4 KB events under a file size limit until one fails.
func fillDisk(path: String) async throws {
    signal(SIGXFSZ, SIG_IGN)
    let store = try SQLiteDeliveryStore(configuration: .init(path: path))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await store.run() }
        do {
            try await appendUntilTheDiskIsFull(store, path: path)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// The body of ``fillDisk(path:)``, with the store running.
func appendUntilTheDiskIsFull(_ store: SQLiteDeliveryStore, path: String) async throws {
    for n in 0..<20 {
        let eventID = "evt_committed_\(n)"
        _ = try await store.append(delivery(eventID, bodySize: 4096))
        emit("committed \(eventID)")
    }
    setFileSizeLimit(rlim_t(max(fileSize(path), fileSize(path + "-wal")) + 256 * 1024))
    var failures = 0
    for n in 0..<10_000 where failures < 3 {
        let eventID = "evt_limited_\(n)"
        do {
            _ = try await store.append(delivery(eventID, bodySize: 4096))
            emit("committed \(eventID)")
        } catch {
            failures += 1
            emit("failed \(error.code)")
        }
    }
    setFileSizeLimit(rlim_t.max)
    do {
        _ = try await store.append(delivery("evt_after_recovery", bodySize: 4096))
        emit("committed evt_after_recovery")
    } catch {
        emit("failed-after-recovery \(error.code)")
    }
}

let arguments = CommandLine.arguments
switch (arguments.count > 1 ? arguments[1] : "", arguments.count) {
case ("append-forever", 4): try await appendForever(path: arguments[2], tag: arguments[3])
case ("fill-disk", 3): try await fillDisk(path: arguments[2])
default:
    FileHandle.standardError.write(Data("usage: HookgateStoreProbe append-forever DB TAG | fill-disk DB\n".utf8))
    exit(2)
}
