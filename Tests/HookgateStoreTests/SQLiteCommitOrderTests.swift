import Foundation
import GRDB
import HookgateStore
import Testing

/// SQLite only: reads when ids do not commit in order, as with replicas sharing a database: rows committed by a second
/// connection with explicit ids, a larger id with a later received time first, smaller ids last.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteCommitOrderTests {
    /// Commits one pending delivery of `evt_same` at `endpoint` through `queue`, with the id and received time given.
    private func commit(_ id: Int64, endpoint: String, receivedAt: Date, through queue: DatabaseQueue) async throws {
        let received = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO delivery (
                        id, endpoint, event_id, event_type, event_created_ms, received_at_ms, routed, state,
                        next_attempt_at_ms, updated_at_ms)
                    VALUES (?, ?, 'evt_same', 'payment_intent.succeeded', ?, ?, 1, 'pending', ?, ?)
                    """,
                arguments: [id, endpoint, received - 2_000, received, received, received]
            )
            try db.execute(sql: "INSERT INTO delivery_body (delivery_id, body) VALUES (?, X'7B7D')", arguments: [id])
        }
    }

    /// Five deliveries of `evt_same` whose ids disagree with their received times: `a` appended first (id 1),
    /// then through a second connection `b` (id 100, t0+120 s), `c` (id 50, t0+60 s) and `d` (id 40, t0+120 s,
    /// the same time as `b`), then `e` appended by the store (id 101, t0+30 s). `body` gets their ids in key
    /// order: a, e, c, d, b.
    private func withOutOfOrderCommits(
        _ body: (SQLiteDeliveryStore, SQLiteDeliveryReader, DatabaseQueue, [DeliveryID]) async throws -> Void
    ) async throws {
        try await withStore { store, directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            let a = try #require(try await store.append(sampleDelivery(eventID: "evt_same", endpoint: "a")).storedID)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            let replica = try DatabaseQueue(path: path, configuration: configuration)
            try await commit(100, endpoint: "b", receivedAt: t0.addingTimeInterval(120), through: replica)
            try await commit(50, endpoint: "c", receivedAt: t0.addingTimeInterval(60), through: replica)
            try await commit(40, endpoint: "d", receivedAt: t0.addingTimeInterval(120), through: replica)
            let e = try #require(
                try await store.append(
                    sampleDelivery(eventID: "evt_same", endpoint: "e", receivedAt: t0.addingTimeInterval(30))
                ).storedID
            )
            #expect(a == DeliveryID(1))
            #expect(e == DeliveryID(101))
            let reader = try SQLiteDeliveryReader(path: path)
            try await body(store, reader, replica, [a, e, DeliveryID(50), DeliveryID(40), DeliveryID(100)])
            try replica.close()
        }
    }

    /// Lists are newest first by received time, the larger id first within one millisecond, not by id.
    @Test func listsAreNewestFirstByReceivedTime() async throws {
        try await withOutOfOrderCommits { store, reader, _, keyOrder in
            let newestFirst = Array(keyOrder.reversed())
            for source in [store, reader] as [any DeliveryReader] {
                let all = try await source.deliveries(matching: DeliveryQuery())
                let newestTwo = try await source.deliveries(matching: DeliveryQuery(limit: 2))
                #expect(all.map(\.id) == newestFirst)
                #expect(newestTwo.map(\.id) == [DeliveryID(100), DeliveryID(40)])
            }
        }
    }

    /// Paging with pages of 1 and 2 returns every delivery once, in key order, from the store and the reader.
    @Test(arguments: [1, 2])
    func pagesReturnEveryDeliveryOnceInKeyOrder(pageSize: Int) async throws {
        try await withOutOfOrderCommits { store, reader, _, keyOrder in
            let fromStore = try await pagedIDs(store, pageSize: pageSize)
            let fromReader = try await pagedIDs(reader, pageSize: pageSize)
            #expect(fromStore == keyOrder)
            #expect(fromReader == keyOrder)
        }
    }

    /// An event's deliveries at every endpoint come oldest first by received time.
    @Test func inspectionsOfAnEventAreInKeyOrder() async throws {
        try await withOutOfOrderCommits { store, reader, _, keyOrder in
            for source in [store, reader] as [any DeliveryReader] {
                let found = try await source.inspections(eventID: "evt_same", endpoint: nil)
                #expect(found.map(\.detail.record.id) == keyOrder)
                #expect(found.map(\.detail.record.received.endpoint) == ["a", "e", "c", "d", "b"])
            }
        }
    }

    /// A delivery committed during an iteration appears at most once: only when its key comes after the cursor.
    @Test func aDeliveryCommittedDuringAnIterationBehindTheCursorIsNotReturned() async throws {
        try await withOutOfOrderCommits { _, reader, replica, keyOrder in
            let first = try await reader.deliveries(matching: DeliveryQuery(), after: nil, pageSize: 2)
            #expect(first.map(\.id) == Array(keyOrder.prefix(2)))
            try await commit(30, endpoint: "behind", receivedAt: t0.addingTimeInterval(10), through: replica)
            try await commit(20, endpoint: "ahead", receivedAt: t0.addingTimeInterval(200), through: replica)
            let rest = try await reader.deliveries(
                matching: DeliveryQuery(),
                after: DeliveryCursor(try #require(first.last)),
                pageSize: 10
            )
            #expect(rest.map(\.id) == Array(keyOrder.dropFirst(2)) + [DeliveryID(20)])
        }
    }
}
