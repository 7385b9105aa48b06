import Foundation
import HookgateStore
import HookgateTestSupport
import Testing

/// `workAvailable()`: the hints that deliveries may need preparing or may have become due.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct WorkAvailableContractTests {
    /// Appends of routed deliveries and requeues hint that work is available, so a worker need not wait for its
    /// next poll; duplicates and unrouted deliveries do not, and the hints end when the store closes.
    @Test(arguments: StoreBackend.all)
    func appendsAndRequeuesHintThatWorkIsAvailable(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            var hints = store.workAvailable().makeAsyncIterator()
            if backend.hintsOnceListening {
                #expect(await hints.next() != nil, "the hint once the store listens to other replicas")
            }
            let id = try #require(try await store.append(sampleDelivery()).storedID)
            #expect(await hints.next() != nil)
            try await store.requeue(id, asReplay: true, now: t0)
            #expect(await hints.next() != nil)
            _ = try await store.append(sampleDelivery())
            _ = try await store.append(sampleDelivery(eventID: "evt_unrouted", isRouted: false))
            await store.close()
            #expect(await hints.next() == nil, "a duplicate or an unrouted delivery makes nothing due")
        }
    }

    /// Every subscriber gets the hint of an append on its own stream, and a stream asked for after the close
    /// ends at once.
    @Test(arguments: StoreBackend.all)
    func everySubscriberIsHintedAndALateOneEndsAtOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { store in
            var first = store.workAvailable().makeAsyncIterator()
            var second = store.workAvailable().makeAsyncIterator()
            _ = try await store.append(sampleDelivery())
            #expect(await first.next() != nil)
            #expect(await second.next() != nil)
            await store.close()
            var late = store.workAvailable().makeAsyncIterator()
            #expect(await late.next() == nil)
        }
    }
}
