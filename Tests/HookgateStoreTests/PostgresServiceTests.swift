import Foundation
import HookgateStore
import HookgateTestSupport
import Logging
import ServiceLifecycle
import Testing

/// PostgreSQL only: the store as a service of a `ServiceGroup`, whose graceful shutdown would close the
/// connection pool at once if the store let it.
@Suite(.onItsOwnThread, .timeLimit(.minutes(1)))
struct PostgresServiceTests {
    /// Appends racing a graceful shutdown: each is either refused by the closed store or committed (the pool stays
    /// open until the accepted ones are written), and every acknowledged one is there after a reopen.
    @Test func aGracefulShutdownCommitsTheAcceptedAppendsFirst() async throws {
        try await withTemporaryDirectory { directory in
            let store = try StoreBackend.postgres.open(in: directory)
            let group = ServiceGroup(services: [store], logger: Logger(label: "hookgate.tests.service-group"))
            let acknowledged = try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await group.run() }
                _ = try await store.append(sampleDelivery(eventID: "evt_warm_up"))
                let outcomes = await withTaskGroup(of: (String, StoreError?).self) { appends in
                    for n in 0..<300 {
                        appends.addTask {
                            do throws(StoreError) {
                                _ = try await store.append(sampleDelivery(eventID: "evt_\(n)"))
                                return ("evt_\(n)", nil)
                            } catch {
                                return ("evt_\(n)", error)
                            }
                        }
                    }
                    try? await Task.sleep(for: .milliseconds(5))
                    await group.triggerGracefulShutdown()
                    return await appends.reduce(into: [String: StoreError?]()) { $0[$1.0] = $1.1 }
                }
                try await services.waitForAll()
                let failures = outcomes.values.compactMap { $0 }
                #expect(failures.allSatisfy { $0.code == .storeUnavailable && $0.detail == "store is closed" })
                return Set(outcomes.filter { $0.value == nil }.keys)
            }
            let stored = try await StoreBackend.postgres.withRunningStore(in: directory) { reopened in
                Set(try await reopened.deliveries(matching: DeliveryQuery(limit: 1000)).map(\.received.eventID))
            }
            #expect(stored == acknowledged.union(["evt_warm_up"]))
        }
    }
}
