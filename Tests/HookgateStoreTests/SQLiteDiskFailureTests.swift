import Foundation
import GRDB
import HookgateTestSupport
import Testing

@testable import HookgateStore

/// SQLite only: a full disk fails appends without harming what the file holds.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct SQLiteDiskFailureTests {
    /// A child process commits some events, then keeps appending under a file size limit
    /// (RLIMIT_FSIZE with SIGXFSZ ignored, so writes past it fail with EFBIG, as on a full disk).
    /// Appends then fail with storeUnavailable (no hang, no false ack); once the limit is lifted
    /// appends succeed again; and every acknowledged event is intact in the reopened file.
    @Test func fullDiskFailsAppendsWithoutHarmingCommittedData() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("full.sqlite").path
            let probe = try ProbeProcess(arguments: ["fill-disk", path])
            let (lines, status, reason) = await probe.finish()
            #expect(reason == .exit && status == 0)

            let committed = lines.filter { $0.hasPrefix("committed ") }.map { String($0.dropFirst("committed ".count)) }
            let failures = lines.filter { $0.hasPrefix("failed") }
            #expect(committed.filter { $0.hasPrefix("evt_committed_") }.count == 20)
            #expect(failures == ["failed store_unavailable", "failed store_unavailable", "failed store_unavailable"])
            #expect(committed.last == "evt_after_recovery")

            let store = try SQLiteDeliveryStore.running(configuration: .init(path: path))
            let sql = "SELECT event_id, body FROM delivery JOIN delivery_body ON delivery_id = id"
            let (stored, integrity) = try await store.pool.read { db in
                (
                    try Row.fetchAll(db, sql: sql).reduce(into: [String: Data]()) {
                        $0[$1["event_id"]] = $1["body"]
                    },
                    try String.fetchOne(db, sql: "PRAGMA integrity_check")
                )
            }
            await store.close()
            #expect(integrity == "ok")
            for id in committed {
                #expect(stored[id] == probeBody(id, size: 4096), "\(id)")
            }
        }
    }
}
