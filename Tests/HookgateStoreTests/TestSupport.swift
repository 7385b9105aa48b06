import Foundation
import HookgateStore
import HookgateTestSupport
import NIOConcurrencyHelpers

/// A fresh temporary directory for one test, removed afterwards, with the PostgreSQL database made for it, if any.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    defer {
        try? FileManager.default.removeItem(at: url)
        PostgresTestServer.dropDatabase(for: url)
    }
    return try await body(url)
}

/// Opens a running SQLite store on `store.sqlite` in a fresh temporary directory, runs `body`, closes it: for the
/// SQLite-only tests, which need the concrete store or its file (contract tests use `withStore(_:configure:_:)`).
func withStore<T>(
    configure: (inout SQLiteDeliveryStore.Configuration) -> Void = { _ in },
    _ body: (SQLiteDeliveryStore, URL) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        var configuration = SQLiteDeliveryStore.Configuration(
            path: directory.appendingPathComponent("store.sqlite").path
        )
        configure(&configuration)
        let store = try SQLiteDeliveryStore.running(configuration: configuration)
        do {
            let result = try await body(store, directory)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// A fixed point in time, so tests never depend on the clock.
let t0 = Date(timeIntervalSince1970: 1_764_000_000)

/// A delivery with defaults for everything the test does not care about.
func sampleDelivery(
    eventID: String = "evt_1",
    endpoint: String = "stripe",
    eventType: String = "payment_intent.succeeded",
    receivedAt: Date = t0,
    body: Data = Data(#"{"id":"evt_1"}"#.utf8),
    isRouted: Bool = true
) -> NewDelivery {
    NewDelivery(
        endpoint: endpoint,
        eventID: eventID,
        eventType: eventType,
        eventCreated: receivedAt.addingTimeInterval(-2),
        receivedAt: receivedAt,
        body: body,
        isRouted: isRouted
    )
}

extension AppendResult {
    /// The id, for appends the test expects to be new.
    var storedID: DeliveryID? {
        if case .stored(let id) = self { id } else { nil }
    }
}

/// A thread-safe count, for callbacks.
final class Counter: Sendable {
    private let count = NIOLockedValueBox(0)

    var value: Int { count.withLockedValue { $0 } }

    func increment() {
        count.withLockedValue { $0 += 1 }
    }
}

/// Every delivery id of `reader` in list order, read a page of `pageSize` at a time from the start, as an export
/// walks them.
func pagedIDs(_ reader: any DeliveryReader, pageSize: Int) async throws -> [DeliveryID] {
    var ids: [DeliveryID] = []
    var cursor: DeliveryCursor?
    while true {
        let page = try await reader.deliveries(matching: DeliveryQuery(), after: cursor, pageSize: pageSize)
        ids += page.map(\.id)
        guard page.count == pageSize, let last = page.last else { return ids }
        cursor = DeliveryCursor(last)
    }
}
