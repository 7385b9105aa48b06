import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import HookgateTestSupport
import Logging
import Metrics

/// `Tests/Fixtures/stripe-events/<name>`, read from the source tree.
func stripeFixture(_ name: String) throws -> Data {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
    return try Data(contentsOf: URL(fileURLWithPath: path + "/Fixtures/stripe-events/" + name))
}

/// `Tests/Fixtures/thin-events/<name>`, read from the source tree.
func thinEventFixture(_ name: String) throws -> Data {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
    return try Data(contentsOf: URL(fileURLWithPath: path + "/Fixtures/thin-events/" + name))
}

/// A store in a fresh temporary directory, with a delivery worker running against `<dir>/up.sock`.
struct WorkerHarness {
    let directory: URL
    let store: SQLiteDeliveryStore
    var socketPath: String { directory.appendingPathComponent("up.sock").path }

    /// Fast retries, so fault tests take seconds.
    static let fastRetry = UpstreamRetryPolicy(
        base: .milliseconds(100),
        cap: .milliseconds(400),
        maximumAttempts: 0,
        maximumAge: .seconds(3600)
    )

    /// Runs `body` with the worker running; stops the worker and the store and removes the directory after.
    /// The upstream `timeout` is long by default: no test here waits for it, and under a sanitizer's slowdown a
    /// short one turned answers the tests expect into timeouts.
    static func run<T>(
        endpoints: [String: EndpointForwarding] = ["stripe": .normalized(NormalizationOptions())],
        retry: UpstreamRetryPolicy = fastRetry,
        timeout: Duration = .seconds(15),
        signingKeyring: Keyring? = nil,
        stripeAPI: StripeAPISettings? = nil,
        beforePreparing: @escaping @Sendable (DeliveryRecord) async -> Void = { _ in },
        beforeTheWorkerStarts: (WorkerHarness) async throws -> Void = { _ in },
        _ body: (WorkerHarness) async throws -> T
    ) async throws -> T {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("hgd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteDeliveryStore.running(
            configuration: .init(path: directory.appendingPathComponent("store.sqlite").path)
        )
        let harness = WorkerHarness(directory: directory, store: store)
        try await beforeTheWorkerStarts(harness)
        let upstream = UpstreamSettings(
            socketPath: harness.socketPath,
            requestPath: "/events",
            maximumInFlight: 16,
            timeout: timeout,
            retry: retry,
            signingKeyring: signingKeyring
        )
        let worker = DeliveryWorker(
            store: store,
            upstream: upstream,
            endpoints: endpoints,
            metricsFactory: NOOPMetricsHandler.instance,
            logger: Logger(label: "test.worker"),
            stripeAPI: stripeAPI,
            beforePreparing: beforePreparing
        )
        let running = Task { try await worker.run() }
        do {
            let result = try await body(harness)
            running.cancel()
            _ = try? await running.value
            await store.close()
            return result
        } catch {
            running.cancel()
            _ = try? await running.value
            await store.close()
            throw error
        }
    }

    /// Appends a delivery of `body` (a Stripe event) to the store, as the ingress does.
    @discardableResult
    func append(
        _ body: Data,
        endpoint: String = "stripe",
        eventID: String? = nil,
        created: Date = Date()
    )
        async throws -> DeliveryID
    {
        guard let envelope = EventEnvelope.read([UInt8](body)) else { throw HarnessError(reason: "not an event") }
        let delivery = NewDelivery(
            endpoint: endpoint,
            eventID: eventID ?? envelope.id,
            eventType: envelope.type,
            eventCreated: Date(timeIntervalSince1970: TimeInterval(envelope.created)),
            receivedAt: Date(),
            body: body,
            headers: DeliveryHeaders(contentType: "application/json")
        )
        guard case .stored(let id) = try await store.append(delivery) else {
            throw HarnessError(reason: "duplicate \(delivery.eventID)")
        }
        return id
    }

    /// Waits until the delivery reaches a final state (or `timeout` passes) and returns it with its attempts.
    func waitUntilFinal(_ id: DeliveryID, timeout: Duration = .seconds(20)) async throws -> DeliveryDetail {
        let deadline = ContinuousClock.now + timeout
        while true {
            let detail = try await store.delivery(id)
            if let detail, detail.record.state.isFinal || ContinuousClock.now >= deadline { return detail }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

struct HarnessError: Error {
    var reason: String
}
