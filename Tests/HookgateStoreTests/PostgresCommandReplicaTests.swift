import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// PostgreSQL only: two stores on one database, as two gateway replicas, race for the same commands, and the
/// database settles every race.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct PostgresCommandReplicaTests {
    let lease = Duration.seconds(30)

    /// Runs `body` with two running stores on one fresh database.
    private func withTwoReplicas(
        _ body: (any DeliveryStore & CommandStore, any DeliveryStore & CommandStore) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            try await StoreBackend.postgres.withRunningStore(in: directory) { first in
                try await StoreBackend.postgres.withRunningStore(in: directory) { second in
                    try await body(first, second)
                }
            }
        }
    }

    /// The same command sent to both replicas at once, 20 times over: each is stored once, the other append
    /// answers duplicate with its id.
    @Test func theSameCommandOnTwoReplicasIsStoredOnce() async throws {
        try await withTwoReplicas { first, second in
            for round in 0..<20 {
                let command = sampleCommand(id: "cmd_race_\(round)")
                async let onFirst = first.appendCommand(command)
                async let onSecond = second.appendCommand(command)
                let results = try await [onFirst, onSecond]
                #expect(results.filter { $0.storedID != nil }.count == 1, "round \(round)")
                #expect(Set(results.map(\.id)).count == 1, "round \(round)")
            }
            #expect(try await second.countCommands(matching: CommandQuery()) == 20)
        }
    }

    /// Ten commands sent to both replicas at once, in opposite orders, five times over (batches of one replica
    /// cross the other's): each command is stored once, and both replicas answer with its one id. An append that
    /// found no commit within the operation timeout (a loaded machine) is sent again, as the commands socket's
    /// client does after a 503: it may have been stored meanwhile, and is then a duplicate.
    @Test func crossingBatchesOnTwoReplicasStoreEachCommandOnce() async throws {
        try await withTwoReplicas { first, second in
            for round in 0..<5 {
                let ids = (0..<10).map { "cmd_\(round)_\($0)" }
                let results = try await withThrowingTaskGroup(of: (String, CommandAppendResult).self) { group in
                    for (store, order) in [(first, ids), (second, ids.reversed())] {
                        for id in order {
                            group.addTask {
                                (id, try await Self.appendRetryingTimeouts(sampleCommand(id: id), to: store))
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let idsByCommand = Dictionary(grouping: results, by: \.0).mapValues { Set($0.map(\.1.id)) }
                #expect(idsByCommand.count == 10 && idsByCommand.values.allSatisfy { $0.count == 1 }, "round \(round)")
                #expect(Set(idsByCommand.values.flatMap { $0 }).count == 10, "round \(round)")
                #expect(!results.contains { if case .conflict = $0.1 { true } else { false } }, "round \(round)")
                #expect(results.filter { $0.1.storedID != nil }.count <= 10, "round \(round)")
            }
            #expect(try await first.countCommands(matching: CommandQuery()) == 50)
        }
    }

    /// Appends `command`, sending it again (up to three times in all) when the store found no commit within its
    /// timeout.
    private static func appendRetryingTimeouts(
        _ command: NewCommand,
        to store: any CommandStore
    ) async throws -> CommandAppendResult {
        var lastError: StoreError?
        for _ in 0..<3 {
            let error: StoreError
            do {
                return try await store.appendCommand(command)
            } catch let caught {
                error = caught
            }
            guard error.code == .storeUnavailable || error.code == .storeOverloaded else { throw error }
            lastError = error
        }
        throw lastError!
    }

    /// Twelve claimers, six per replica, claim 60 due commands at once: no command is leased twice, and together
    /// they lease every one.
    @Test func claimsOnTwoReplicasNeverLeaseACommandTwice() async throws {
        try await withTwoReplicas { first, second in
            for n in 0..<60 { _ = try await first.appendCommand(sampleCommand(id: "cmd_\(n)")) }
            let claimed = try await withThrowingTaskGroup(of: [CommandID].self) { group in
                for claimer in 0..<12 {
                    let store = claimer.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try await store.claimDueCommands(now: t0, leaseDuration: lease, limit: 7).map(\.record.id)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 60)
            #expect(Set(claimed).count == 60)
        }
    }
}
