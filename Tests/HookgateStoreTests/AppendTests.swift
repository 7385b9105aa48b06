import Foundation
import HookgateStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct AppendTests {
    /// 64 concurrent appends of one event store it exactly once; the others get its id as a duplicate.
    @Test func concurrentAppendsOfOneEventStoreItOnce() async throws {
        try await withStore { store, _ in
            let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
                for _ in 0..<64 {
                    group.addTask { try await store.append(sampleDelivery(eventID: "evt_same")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stored = results.compactMap(\.storedID)
            #expect(stored.count == 1)
            #expect(results.filter(\.isDuplicate).count == 63)
            #expect(Set(results.map(\.id)).count == 1)
            #expect(try await store.countByState()[.pending] == 1)
        }
    }

    /// The dedup key is endpoint plus event id: the same event id on another endpoint is a new delivery.
    @Test func sameEventIDOnAnotherEndpointIsStored() async throws {
        try await withStore { store, _ in
            let first = try await store.append(sampleDelivery(endpoint: "stripe"))
            let second = try await store.append(sampleDelivery(endpoint: "stripe-connect"))
            #expect(first.storedID != nil)
            #expect(second.storedID != nil)
            #expect(first.id != second.id)
        }
    }

    /// Concurrent appends of distinct events all get their own id, whatever batch they land in.
    @Test func concurrentDistinctAppendsAreAllStored() async throws {
        try await withStore { store, _ in
            let results = try await withThrowingTaskGroup(of: (String, AppendResult).self) { group in
                for n in 0..<500 {
                    group.addTask { ("evt_\(n)", try await store.append(sampleDelivery(eventID: "evt_\(n)"))) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(results.values.allSatisfy { $0.storedID != nil })
            #expect(Set(results.values.map(\.id)).count == 500)
            let id = try #require(results["evt_123"]?.id)
            #expect(try await store.delivery(id)?.record.received.eventID == "evt_123")
        }
    }

    /// Every field of the received request comes back as appended, after reopening the file.
    @Test func recordKeepsEverythingAppended() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("store.sqlite").path
            var delivery = sampleDelivery(eventID: "evt_full")
            delivery.eventCreated = Date(timeIntervalSince1970: 1_763_999_000)
            delivery.receivedAt = Date(timeIntervalSince1970: 1_764_000_000.123)
            delivery.headers = DeliveryHeaders(
                signature: "t=1764000000,v1=abc",
                contentType: "application/json; charset=utf-8",
                userAgent: "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                requestID: "req_123"
            )
            delivery.peerAddress = "203.0.113.7:51234"
            delivery.keyLabel = "current"
            let store = try SQLiteDeliveryStore(configuration: .init(path: path))
            let id = try #require(try await store.append(delivery).storedID)
            await store.close()

            let reopened = try SQLiteDeliveryStore(configuration: .init(path: path))
            let record = try #require(try await reopened.delivery(id)).record
            await reopened.close()
            #expect(record.received == delivery)
            #expect(record.state == .pending)
            #expect(record.attemptCount == 0)
            #expect(record.nextAttemptAt == delivery.receivedAt)
            #expect(record.replayCount == 0)
        }
    }

    /// A delivery no route matched is kept, as skipped, and never becomes due.
    @Test func unroutedDeliveryIsStoredAsSkipped() async throws {
        try await withStore { store, _ in
            let id = try #require(try await store.append(sampleDelivery(isRouted: false)).storedID)
            let record = try #require(try await store.delivery(id)).record
            #expect(record.state == .skipped)
            #expect(record.received.isRouted == false)
            #expect(
                try await store.claimDue(now: t0.addingTimeInterval(3600), leaseDuration: .seconds(30), limit: 10)
                    .isEmpty
            )
        }
    }

    /// An append after close is refused, not lost silently.
    @Test func appendAfterCloseIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteDeliveryStore(
                configuration: .init(path: directory.appendingPathComponent("s.sqlite").path)
            )
            await store.close()
            let error = await #expect(throws: StoreError.self) { try await store.append(sampleDelivery()) }
            #expect(error?.code == .storeUnavailable)
        }
    }
}
