import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// Reconciled deliveries: stored with their origin, deduplicated against webhooks by the same (endpoint, event id)
/// key in both directions, and found by the batched event id lookup.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct ReconciledContractTests {
    /// A delivery as `hookgate reconcile` appends it.
    private static func reconciled(_ eventID: String, endpoint: String = "stripe") -> NewDelivery {
        var delivery = sampleDelivery(eventID: eventID, endpoint: endpoint)
        delivery.origin = .reconciled
        return delivery
    }

    /// A reconciled append is stored with its origin and claims the key: the later webhook of the same id is its
    /// duplicate, and the delivery stays reconciled.
    @Test(arguments: StoreBackend.all)
    func reconciledAppendClaimsTheKeyBeforeTheWebhook(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            let first = try await store.append(Self.reconciled("evt_late"))
            let id = try #require(first.storedID)
            #expect(try await store.append(sampleDelivery(eventID: "evt_late")) == .duplicate(id))
            #expect(try await store.delivery(id)?.record.received.origin == .reconciled)
            #expect(try await reader.delivery(id)?.record.received.origin == .reconciled)
            let listed = try await store.deliveries(matching: DeliveryQuery())
            #expect(listed.map(\.received.origin) == [.reconciled])
            #expect(try await store.countByState()[.pending] == 1)
        }
    }

    /// A webhook received first keeps the key: the reconciled append of the same id is its duplicate, and the
    /// stored delivery stays a webhook.
    @Test(arguments: StoreBackend.all)
    func webhookAppendClaimsTheKeyBeforeReconciliation(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            let id = try #require(try await store.append(sampleDelivery(eventID: "evt_on_time")).storedID)
            #expect(try await store.append(Self.reconciled("evt_on_time")) == .duplicate(id))
            #expect(try await store.delivery(id)?.record.received.origin == .webhook)
            #expect(try await store.inspections(eventID: "evt_on_time", endpoint: nil).count == 1)
        }
    }

    /// Both orders in one group commit: whichever comes first is stored, the other is its duplicate.
    @Test(arguments: StoreBackend.all)
    func concurrentWebhookAndReconciledAppendsStoreOne(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            async let webhook = store.append(sampleDelivery(eventID: "evt_race"))
            async let reconciled = store.append(Self.reconciled("evt_race"))
            let results = try await [webhook, reconciled]
            #expect(results.compactMap(\.storedID).count == 1)
            #expect(Set(results.map(\.id)).count == 1)
        }
    }

    /// The batched lookup answers which ids have a delivery at the endpoint, whatever their origin, and no other.
    @Test(arguments: StoreBackend.all)
    func storedEventIDsAreThoseOfTheEndpoint(_ backend: StoreBackend) async throws {
        try await withStoreAndReader(backend) { store, reader in
            _ = try await store.append(sampleDelivery(eventID: "evt_a"))
            _ = try await store.append(Self.reconciled("evt_b"))
            _ = try await store.append(sampleDelivery(eventID: "evt_c", endpoint: "stripe-connect"))
            let asked = ["evt_a", "evt_b", "evt_c", "evt_missing"]
            #expect(try await store.storedEventIDs(asked, endpoint: "stripe") == ["evt_a", "evt_b"])
            #expect(try await reader.storedEventIDs(asked, endpoint: "stripe") == ["evt_a", "evt_b"])
            #expect(try await store.storedEventIDs(asked, endpoint: "stripe-connect") == ["evt_c"])
            #expect(try await store.storedEventIDs([], endpoint: "stripe").isEmpty)
            let full = (0..<EventIDLookup.maximumCount).map { "evt_\($0)" }
            #expect(try await store.storedEventIDs(full, endpoint: "stripe").isEmpty)
            await #expect(throws: StoreError.self) {
                try await store.storedEventIDs(full + ["evt_one_more"], endpoint: "stripe")
            }
        }
    }
}
