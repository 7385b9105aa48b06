import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Reads when ids disagree with the key order (received time, then id), as when replicas sharing a database
/// commit out of order: each read is ordered by the key, never by the id alone, from the store and its reader.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct CommitOrderContractTests {
    /// Four deliveries of `evt_same`, appended in this order: `a` (t0+120 s), `b` (t0+60 s), `c` (t0+120 s, the
    /// same time as `a`, so the larger id goes after it) and `d` (t0+30 s). `body` gets their ids in key order:
    /// d, b, a, c.
    private func withOutOfOrderIDs(
        _ backend: StoreBackend,
        _ body: (any DeliveryStore, any DeliveryReader, [DeliveryID]) async throws -> Void
    ) async throws {
        try await withStoreAndReader(backend) { store, reader in
            var ids: [String: DeliveryID] = [:]
            for (endpoint, seconds) in [("a", 120.0), ("b", 60), ("c", 120), ("d", 30)] {
                let delivery = sampleDelivery(
                    eventID: "evt_same",
                    endpoint: endpoint,
                    receivedAt: t0.addingTimeInterval(seconds)
                )
                let id = try #require(try await store.append(delivery).storedID)
                ids[endpoint] = id
            }
            try await body(store, reader, try ["d", "b", "a", "c"].map { try #require(ids[$0]) })
        }
    }

    /// Lists are newest first by received time, the larger id first within one millisecond, not by id.
    @Test(arguments: StoreBackend.all)
    func listsAreNewestFirstByReceivedTime(_ backend: StoreBackend) async throws {
        try await withOutOfOrderIDs(backend) { store, reader, keyOrder in
            for source in [store, reader] as [any DeliveryReader] {
                let all = try await source.deliveries(matching: DeliveryQuery())
                let newestTwo = try await source.deliveries(matching: DeliveryQuery(limit: 2))
                #expect(all.map(\.id) == keyOrder.reversed())
                #expect(newestTwo.map(\.id) == [keyOrder[3], keyOrder[2]])
            }
        }
    }

    /// Paging with pages of 1 and 2 returns every delivery once, in key order, from the store and the reader.
    @Test(arguments: StoreBackend.all, [1, 2])
    func pagesReturnEveryDeliveryOnceInKeyOrder(_ backend: StoreBackend, pageSize: Int) async throws {
        try await withOutOfOrderIDs(backend) { store, reader, keyOrder in
            for source in [store, reader] as [any DeliveryReader] {
                let paged = try await pagedIDs(source, pageSize: pageSize)
                #expect(paged == keyOrder)
            }
        }
    }

    /// An event's deliveries at every endpoint come oldest first by received time.
    @Test(arguments: StoreBackend.all)
    func inspectionsOfAnEventAreInKeyOrder(_ backend: StoreBackend) async throws {
        try await withOutOfOrderIDs(backend) { store, reader, keyOrder in
            for source in [store, reader] as [any DeliveryReader] {
                let found = try await source.inspections(eventID: "evt_same", endpoint: nil)
                #expect(found.map(\.detail.record.id) == keyOrder)
                #expect(found.map(\.detail.record.received.endpoint) == ["d", "b", "a", "c"])
            }
        }
    }

    /// A delivery committed during an iteration appears at most once: only when its key comes after the cursor,
    /// whatever its id.
    @Test(arguments: StoreBackend.all)
    func aDeliveryCommittedDuringAnIterationBehindTheCursorIsNotReturned(_ backend: StoreBackend) async throws {
        try await withOutOfOrderIDs(backend) { store, reader, keyOrder in
            let first = try await reader.deliveries(matching: DeliveryQuery(), after: nil, pageSize: 2)
            #expect(first.map(\.id) == Array(keyOrder.prefix(2)))
            _ = try await store.append(sampleDelivery(eventID: "evt_behind", receivedAt: t0.addingTimeInterval(10)))
            let ahead = try #require(
                try await store.append(sampleDelivery(eventID: "evt_ahead", receivedAt: t0.addingTimeInterval(200)))
                    .storedID
            )
            let rest = try await reader.deliveries(
                matching: DeliveryQuery(),
                after: DeliveryCursor(try #require(first.last)),
                pageSize: 10
            )
            #expect(rest.map(\.id) == Array(keyOrder.dropFirst(2)) + [ahead])
        }
    }
}
