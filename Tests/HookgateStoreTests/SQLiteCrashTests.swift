import Foundation
import GRDB
import HookgateTestSupport
import Testing

@testable import HookgateStore

/// SQLite only: acknowledged appends survive a SIGKILL of the process that made them.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct SQLiteCrashTests {
    /// A child process appends continuously and prints each acknowledged event id; it is killed
    /// with SIGKILL at a random moment. Reopened, the database holds every acknowledged id,
    /// with its body intact. Five rounds on the same file, each killed after a different time.
    @Test func everyAcknowledgedAppendSurvivesSIGKILL() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crash.sqlite").path
            var totalAcknowledged = 0
            for round in 0..<5 {
                let probe = try ProbeProcess(arguments: ["append-forever", path, "r\(round)"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...600)))
                probe.kill()
                let (lines, _, reason) = await probe.finish()
                #expect(reason == .uncaughtSignal)
                let acknowledged = lines.filter { $0 != "ready" }
                totalAcknowledged += acknowledged.count

                let store = try SQLiteDeliveryStore.running(configuration: .init(path: path))
                let stored = try await store.pool.read { db in
                    let sql = "SELECT event_id, body FROM delivery JOIN delivery_body ON delivery_id = id"
                    return try Row.fetchAll(db, sql: sql).reduce(into: [String: Data]()) {
                        $0[$1["event_id"]] = $1["body"]
                    }
                }
                await store.close()
                let missing = acknowledged.filter { stored[$0] == nil }
                #expect(
                    missing.isEmpty,
                    "round \(round): \(missing.count) of \(acknowledged.count) acknowledged ids lost"
                )
                let damaged = acknowledged.filter { id in stored[id].map { $0 != probeBody(id, size: 300) } ?? false }
                #expect(damaged.isEmpty, "round \(round): \(damaged.count) bodies differ")
            }
            #expect(totalAcknowledged > 0, "the probe never acknowledged an append")
        }
    }
}
