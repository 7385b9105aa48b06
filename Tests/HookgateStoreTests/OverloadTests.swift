import Foundation
import HookgateStore
import Testing

@Suite(.timeLimit(.minutes(1)))
struct OverloadTests {
    /// With a queue of one, a burst of appends overflows it: the overflow fails at once with
    /// storeOverloaded and is not stored; every other append is stored. Nothing is dropped silently.
    @Test func burstBeyondQueueCapacityFailsFastAndLosesNothingAcknowledged() async throws {
        try await withStore(configure: {
            $0.maxBatchSize = 1
            $0.queueCapacity = 1
        }) { store, _ in
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
