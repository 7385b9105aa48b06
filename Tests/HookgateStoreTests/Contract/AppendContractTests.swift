import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Appends: dedup by endpoint and event id, under concurrency; what is kept; refusals when closed or overloaded.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct AppendContractTests {
    /// 64 concurrent appends of one event store it exactly once; the others get its id as a duplicate.
    @Test(arguments: StoreBackend.all)
    func concurrentAppendsOfOneEventStoreItOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
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

    /// Eight copies each of 30 events, appended concurrently and interleaved: each event is stored once, and
    /// every duplicate is answered with the id stored for its own event.
    @Test(arguments: StoreBackend.all)
    func concurrentAppendsOfRepeatedEventsStoreEachOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let answers = try await withThrowingTaskGroup(of: (String, AppendResult).self) { group in
                for copy in 0..<8 {
                    for event in 0..<30 {
                        let eventID = "evt_\((event + copy * 7) % 30)"
                        group.addTask { (eventID, try await store.append(sampleDelivery(eventID: eventID))) }
                    }
                }
                return try await group.reduce(into: [String: [AppendResult]]()) { $0[$1.0, default: []].append($1.1) }
            }
            #expect(answers.count == 30)
            for (eventID, results) in answers {
                let stored = try #require(results.compactMap(\.storedID).first, "\(eventID) never stored")
                #expect(results.filter { $0 == .stored(stored) }.count == 1, "\(eventID)")
                #expect(results.filter { $0 == .duplicate(stored) }.count == 7, "\(eventID)")
                #expect(try await store.delivery(stored)?.record.received.eventID == eventID)
            }
            #expect(Set(answers.values.map { $0[0].id }).count == 30)
            #expect(try await store.deliveries(matching: DeliveryQuery(limit: 1000)).count == 30)
        }
    }

    /// The dedup key is endpoint plus event id: the same event id on another endpoint is a new delivery.
    @Test(arguments: StoreBackend.all)
    func sameEventIDOnAnotherEndpointIsStored(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let first = try await store.append(sampleDelivery(endpoint: "stripe"))
            let second = try await store.append(sampleDelivery(endpoint: "stripe-connect"))
            #expect(first.storedID != nil)
            #expect(second.storedID != nil)
            #expect(first.id != second.id)
        }
    }

    /// Concurrent appends of distinct events all get their own id, whatever batch they land in.
    @Test(arguments: StoreBackend.all)
    func concurrentDistinctAppendsAreAllStored(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
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

    /// Every field of the received request comes back as appended, after reopening the store.
    @Test(arguments: StoreBackend.all)
    func recordKeepsEverythingAppended(_ backend: StoreBackend) async throws {
        try await withTemporaryDirectory { directory in
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
            let id = try await backend.withRunningStore(in: directory) { store in
                try #require(try await store.append(delivery).storedID)
            }
            let record = try await backend.withRunningStore(in: directory) { store in
                try #require(try await store.delivery(id)).record
            }
            #expect(record.received == delivery)
            #expect(record.state == .pending)
            #expect(record.attemptCount == 0)
            #expect(record.nextAttemptAt == delivery.receivedAt)
            #expect(record.replayCount == 0)
        }
    }

    /// A delivery no route matched is kept, as skipped, and never becomes due.
    @Test(arguments: StoreBackend.all)
    func unroutedDeliveryIsStoredAsSkipped(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery(isRouted: false)).storedID)
            let record = try #require(try await store.delivery(id)).record
            #expect(record.state == .skipped)
            #expect(record.received.isRouted == false)
            #expect(
                try await store.prepareAndClaim(
                    now: t0.addingTimeInterval(3600),
                    leaseDuration: .seconds(30),
                    limit: 10
                )
                .isEmpty
            )
        }
    }

    /// An append after close is refused, not lost silently.
    @Test(arguments: StoreBackend.all)
    func appendAfterCloseIsRefused(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            await store.close()
            let error = await #expect(throws: StoreError.self) { try await store.append(sampleDelivery()) }
            #expect(error?.code == .storeUnavailable)
        }
    }

    /// With a queue of one, a burst of appends overflows it: the overflow fails at once with
    /// storeOverloaded and is not stored; every other append is stored. Nothing is dropped silently.
    @Test(arguments: StoreBackend.all)
    func burstBeyondQueueCapacityFailsFastAndLosesNothingAcknowledged(_ backend: StoreBackend) async throws {
        try await withStore(backend, options: StoreBackend.Options(maxBatchSize: 1, queueCapacity: 1)) { store in
            let outcomes = try await withThrowingTaskGroup(of: (String, StoreError.Code?).self) { group in
                for n in 0..<100 {
                    group.addTask {
                        do throws(StoreError) {
                            _ = try await store.append(sampleDelivery(eventID: "evt_\(n)"))
                            return ("evt_\(n)", nil)
                        } catch {
                            return ("evt_\(n)", error.code)
                        }
                    }
                }
                return try await group.reduce(into: [String: StoreError.Code?]()) { $0[$1.0] = $1.1 }
            }
            let failureCodes = Set(outcomes.values.compactMap { $0 })
            #expect(failureCodes == [.storeOverloaded])
            let stored = Set(try await store.deliveries(matching: DeliveryQuery(limit: 1000)).map(\.received.eventID))
            let acknowledged = Set(outcomes.filter { $0.value == nil }.keys)
            #expect(stored == acknowledged)
            #expect(acknowledged.count >= 1)
        }
    }
}
