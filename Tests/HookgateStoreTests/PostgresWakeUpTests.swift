import Foundation
import HookgateStore
import HookgateTestSupport
import Synchronization
import Testing

/// PostgreSQL only: one replica's store hints another replica's worker when it made work (LISTEN/NOTIFY).
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct PostgresWakeUpTests {
    /// A routed delivery appended through one store wakes the `workAvailable()` stream of another store on the
    /// same database, which appended nothing itself.
    @Test func anAppendOnOneReplicaWakesTheOthersWorker() async throws {
        try await withTemporaryDirectory { directory in
            try await StoreBackend.postgres.withRunningStore(in: directory) { appender in
                try await StoreBackend.postgres.withRunningStore(in: directory) { other in
                    let hints = HintCount()
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        let stream = other.workAvailable()
                        group.addTask {
                            for await _ in stream { hints.count.add(1, ordering: .relaxed) }
                        }
                        // The first hint comes when its listener is connected (work may have been made before).
                        #expect(await Self.wait(within: .seconds(10)) { hints.count.load(ordering: .relaxed) >= 1 })
                        let before = hints.count.load(ordering: .relaxed)
                        _ = try await appender.append(sampleDelivery(eventID: "evt_routed"))
                        #expect(
                            await Self.wait(within: .seconds(10)) { hints.count.load(ordering: .relaxed) > before },
                            "no hint reached the other store"
                        )
                        #expect(try await other.deliveries(matching: DeliveryQuery()).count == 1)
                        group.cancelAll()
                    }
                }
            }
        }
    }

    /// Polls `condition` every 10 ms; whether it held within `limit`.
    private static func wait(within limit: Duration, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}

/// How many hints a stream gave.
private final class HintCount: Sendable {
    let count = Atomic<Int>(0)
}
