import Foundation
import HookgateStore
import ServiceLifecycle
import Testing

/// ``DeliveryStores`` with the SQLite backend: opening the file a ``DeliveryStoreConfiguration`` names,
/// read-write or read-only, and the backend's rules for the configuration.
@Suite(.timeLimit(.minutes(1)))
struct SQLiteDeliveryStoresTests {
    /// A missing store is reported, not created, by the reader; `open` creates it, and both then read it.
    @Test func openCreatesTheStoreTheReaderThenReads() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("made.sqlite").path
            let configuration = DeliveryStoreConfiguration(location: path)
            #expect(DeliveryStores.missingReason(configuration) == "no database file at '\(path)'")
            let missing = #expect(throws: StoreError.self) { try DeliveryStores.openReader(configuration) }
            #expect(missing?.code == .storeUnavailable)
            #expect(missing?.detail == "no database file at '\(path)'")
            #expect(!FileManager.default.fileExists(atPath: path))

            let store = try DeliveryStores.open(configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                let id = try #require(try await store.append(sampleDelivery()).storedID)
                #expect(DeliveryStores.missingReason(configuration) == nil)
                let reader = try DeliveryStores.openReader(configuration)
                #expect(try await reader.deliveries(matching: DeliveryQuery()).map(\.id) == [id])
                #expect(try await store.delivery(id)?.record.received.eventID == "evt_1")
                await store.close()
            }
        }
    }

    /// The backend's own rules check the configuration: a retention under 3 days or an empty path is refused.
    @Test func validationUsesTheBackendsRules() throws {
        #expect(throws: Never.self) { try DeliveryStoreConfiguration(location: "/x/store.sqlite").validate() }
        let short = DeliveryStoreConfiguration(
            location: "/x/store.sqlite",
            retention: RetentionPolicy(window: .seconds(3600))
        )
        let tooShort = #expect(throws: StoreError.self) { try short.validate() }
        #expect(tooShort?.code == .invalidConfiguration)
        #expect(tooShort?.detail?.hasPrefix("retention window must be at least 3 days") == true)
        let empty = #expect(throws: StoreError.self) { try DeliveryStoreConfiguration(location: "").validate() }
        #expect(empty?.code == .invalidConfiguration)
        #expect(empty?.detail == "path must not be empty")
        #expect(DeliveryStoreConfiguration(location: "/x/store.sqlite").description == "/x/store.sqlite")
    }
}
