import Foundation
import GRDB
import HookgateStore
import Testing

/// ``SQLiteDeliveryReader``: read-only queries on a store's file while the store has it open.
@Suite(.timeLimit(.minutes(1)))
struct DeliveryReaderTests {
    /// Six deliveries over two endpoints, received a minute apart, prepared as payments of `pi_even` /
    /// `pi_odd` (catalog type by parity); evt_5 is not routed (skipped, never prepared).
    private func seed(_ store: SQLiteDeliveryStore) async throws -> [DeliveryID] {
        var ids: [DeliveryID] = []
        for n in 0..<6 {
            let delivery = sampleDelivery(
                eventID: "evt_\(n)",
                endpoint: n < 3 ? "stripe" : "connect",
                eventType: n.isMultiple(of: 2) ? "payment_intent.succeeded" : "payment_intent.payment_failed",
                receivedAt: t0.addingTimeInterval(Double(n) * 60),
                isRouted: n != 5
            )
            ids.append(try #require(try await store.append(delivery).storedID))
        }
        _ = try await store.claimDue(now: t0.addingTimeInterval(600), leaseDuration: .seconds(30), limit: 10) {
            record in
            let even = record.received.eventType == "payment_intent.succeeded"
            return .forward(
                OutboundPlan(
                    messages: [
                        OutboundMessage(
                            contentType: "application/cloudevents+json",
                            body: Data(#"{"id":"\#(record.received.eventID)","type":"x"}"#.utf8)
                        )
                    ],
                    catalogType: even ? "payment-succeeded" : "payment-failed",
                    subject: even ? "pi_even" : "pi_odd"
                )
            )
        }
        return ids
    }

    private func withReader<T>(
        _ body: (SQLiteDeliveryStore, SQLiteDeliveryReader, URL) async throws -> T
    ) async throws
        -> T
    {
        try await withStore { store, directory in
            let reader = try SQLiteDeliveryReader(path: directory.appendingPathComponent("store.sqlite").path)
            return try await body(store, reader, directory)
        }
    }

    @Test func eachFilterNarrowsTheListNewestFirst() async throws {
        try await withReader { store, reader, _ in
            let ids = try await seed(store)
            func list(_ query: DeliveryQuery) async throws -> [DeliveryID] {
                try await reader.deliveries(matching: query).map(\.id)
            }
            #expect(try await list(DeliveryQuery()) == ids.reversed())
            #expect(try await list(DeliveryQuery(endpoint: "stripe")) == [ids[2], ids[1], ids[0]])
            #expect(try await list(DeliveryQuery(state: .skipped)) == [ids[5]])
            #expect(
                try await list(DeliveryQuery(eventType: "payment_intent.payment_failed")) == [ids[5], ids[3], ids[1]]
            )
            #expect(try await list(DeliveryQuery(eventID: "evt_4")) == [ids[4]])
            #expect(try await list(DeliveryQuery(catalogType: "payment-succeeded")) == [ids[4], ids[2], ids[0]])
            #expect(try await list(DeliveryQuery(subject: "pi_odd")) == [ids[3], ids[1]])
            #expect(
                try await list(
                    DeliveryQuery(receivedFrom: t0.addingTimeInterval(60), receivedBefore: t0.addingTimeInterval(180))
                ) == [ids[2], ids[1]]
            )
            #expect(try await list(DeliveryQuery(limit: 2)) == [ids[5], ids[4]])
            #expect(try await list(DeliveryQuery(endpoint: "stripe", subject: "pi_odd")) == [ids[1]])
            #expect(try await list(DeliveryQuery(endpoint: "connect", catalogType: "payment-succeeded")) == [ids[4]])
        }
    }

    @Test func inspectionHasEveryAttemptAndTheMessages() async throws {
        try await withReader { store, reader, _ in
            let ids = try await seed(store)
            // The seed's claim leased every routed delivery; fail evt_0 twice, then deliver it.
            var now = t0.addingTimeInterval(600)
            for status in [503, 500, 200] {
                let leases = try await store.claimDue(
                    now: now.addingTimeInterval(60),
                    leaseDuration: .seconds(30),
                    limit: 10
                )
                let lease = try #require(leases.first { $0.record.id == ids[0] })
                try await store.completeAttempt(
                    lease,
                    report: AttemptReport(
                        startedAt: now.addingTimeInterval(60),
                        duration: .milliseconds(12),
                        upstreamStatus: status,
                        error: status == 200 ? nil : "HTTP \(status)"
                    ),
                    outcome: status == 200 ? .delivered : .retry(at: now.addingTimeInterval(61))
                )
                now = now.addingTimeInterval(120)
            }
            let inspection = try #require(try await reader.inspection(of: ids[0]))
            #expect(inspection.detail.record.state == .delivered)
            #expect(inspection.detail.attempts.map(\.report.upstreamStatus) == [503, 500, 200])
            #expect(inspection.detail.attempts.map(\.number) == [1, 2, 3])
            #expect(inspection.detail.attempts[0].report.duration == .milliseconds(12))
            #expect(inspection.messages.map(\.contentType) == ["application/cloudevents+json"])
            #expect(inspection.messages.first?.body == Data(#"{"id":"evt_0","type":"x"}"#.utf8))
            #expect(inspection.detail.record.received.body == Data(#"{"id":"evt_1"}"#.utf8))
            #expect(try await reader.inspection(of: DeliveryID(999)) == nil)
        }
    }

    @Test func anEventIDFindsItsDeliveryAtEveryEndpoint() async throws {
        try await withReader { store, reader, _ in
            let first = try #require(try await store.append(sampleDelivery(eventID: "evt_x", endpoint: "a")).storedID)
            let second = try #require(try await store.append(sampleDelivery(eventID: "evt_x", endpoint: "b")).storedID)
            #expect(try await reader.inspections(eventID: "evt_x").map(\.detail.record.id) == [first, second])
            #expect(try await reader.inspections(eventID: "evt_x", endpoint: "b").map(\.detail.record.id) == [second])
            #expect(try await reader.inspections(eventID: "evt_missing").isEmpty)
        }
    }

    @Test func statisticsCountByStateAndTypeWithinTheRange() async throws {
        try await withReader { store, reader, _ in
            _ = try await seed(store)
            let all = try await reader.statistics(matching: DeliveryQuery())
            #expect(all.total == 6)
            #expect(all.byState == [.pending: 0, .delivering: 5, .delivered: 0, .skipped: 1, .dead: 0])
            #expect(all.byEventType == ["payment_intent.succeeded": 3, "payment_intent.payment_failed": 3])
            #expect(all.byCatalogType == ["payment-succeeded": 3, "payment-failed": 2])
            #expect(all.withoutCatalogType == 1)
            let late = try await reader.statistics(matching: DeliveryQuery(receivedFrom: t0.addingTimeInterval(240)))
            #expect(late.total == 2)
            #expect(late.byState[.skipped] == 1)
            #expect(late.byEventType == ["payment_intent.succeeded": 1, "payment_intent.payment_failed": 1])
        }
    }

    @Test func pagesCoverTheSelectionOnceOldestFirst() async throws {
        try await withReader { store, reader, _ in
            var appended: [DeliveryID] = []
            for n in 0..<23 {
                appended.append(try #require(try await store.append(sampleDelivery(eventID: "evt_\(n)")).storedID))
            }
            var seen: [DeliveryID] = []
            var last: DeliveryCursor?
            while true {
                let page = try await reader.deliveries(
                    matching: DeliveryQuery(endpoint: "stripe"),
                    after: last,
                    pageSize: 5
                )
                seen += page.map(\.id)
                guard let final = page.last else { break }
                last = DeliveryCursor(final)
            }
            #expect(seen == appended)
            let none = try await reader.deliveries(matching: DeliveryQuery(endpoint: "other"), after: nil, pageSize: 5)
            #expect(none.isEmpty)
        }
    }

    @Test func aMissingFileIsUnavailableAndNotCreated() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing.sqlite").path
            do {
                _ = try SQLiteDeliveryReader(path: path)
                Issue.record("opened a missing file")
            } catch let error as StoreError {
                #expect(error.code == .storeUnavailable)
                #expect(error.detail?.contains("no database file") == true)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func aNewerOrUnmigratedSchemaIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let newer = directory.appendingPathComponent("newer.sqlite").path
            let store = try SQLiteDeliveryStore(configuration: .init(path: newer))
            await store.close()
            let queue = try DatabaseQueue(path: newer)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99 from the future')")
            }
            try queue.close()
            let empty = directory.appendingPathComponent("empty.sqlite").path
            try DatabaseQueue(path: empty).close()
            for path in [newer, empty] {
                do {
                    _ = try SQLiteDeliveryReader(path: path)
                    Issue.record("opened \(path)")
                } catch let error as StoreError {
                    #expect(error.code == .incompatibleSchema)
                }
            }
        }
    }

    @Test func theReaderNeverWrites() async throws {
        try await withReader { store, reader, directory in
            _ = try await seed(store)
            await store.close()
            let path = directory.appendingPathComponent("store.sqlite").path
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            _ = try await reader.deliveries(matching: DeliveryQuery())
            _ = try await reader.statistics(matching: DeliveryQuery())
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }
}
