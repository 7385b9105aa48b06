import Foundation
import HookgateCore
import HookgateStore
import HookgateTestSupport
import InMemoryLogging
import Logging
import ServiceLifecycle
import Testing

@testable import hookgate

/// `serve`'s periodic reconciliation against a real `hookgate emulate`: the first run adds the events the store
/// lacks, the next ones add none, each run logs one line, and a graceful shutdown ends it.
@Suite(.onItsOwnThread, .serialized, .timeLimit(.minutes(1)))
struct ReconcileServiceTests {
    /// A payment made without webhooks (no --forward-to): its two mapped events are added by the first run only.
    @Test func eachRunLogsOneLineAndAddsOnlyWhatIsMissing() async throws {
        let directory = try TemporaryDirectory()
        let emulator = try EmulatorProcess(directory: directory.url, arguments: [], environment: [:])
        let payment = try emulator.request(
            "POST",
            "/v1/payment_intents",
            ["amount=900", "currency=usd", "payment_method=pm_card_visa", "confirm=true"]
        )
        #expect(payment.status == 200)
        let store = try SQLiteDeliveryStore.running(
            configuration: .init(path: directory.url.appendingPathComponent("store.sqlite").path)
        )
        let logs = InMemoryLogHandler()
        let service = ReconcileService(
            interval: .milliseconds(50),
            api: StripeAPISettings(
                apiBase: "http://127.0.0.1:\(emulator.port)",
                apiKey: Secret(EmulatorProcess.apiKey),
                keySource: "test"
            ),
            store: store,
            targets: [
                ReconcileTarget(
                    endpoint: "stripe",
                    stripeTypes: EventMapping.default.targets.keys.sorted(),
                    expectedMode: .any
                )
            ],
            logger: Logger(label: "test", factory: { _ in logs }),
            settlingTime: 0
        )
        let group = ServiceGroup(
            services: [service],
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let running = Task { try await group.run() }
        var runs: [InMemoryLogHandler.Entry] { logs.entries.filter { "\($0.message)" == "reconciled" } }
        let deadline = Date().addingTimeInterval(20)
        while runs.count < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        await group.triggerGracefulShutdown()
        try await running.value

        let lines = runs
        try #require(lines.count >= 3, "\(logs.entries)")
        #expect(lines[0].metadata["hookgate.reconcile.added"] == "2")
        #expect(lines[0].metadata["hookgate.reconcile.listed"] == "2")
        #expect(lines.dropFirst().allSatisfy { $0.metadata["hookgate.reconcile.added"] == "0" })
        #expect(lines.dropFirst().allSatisfy { $0.metadata["hookgate.reconcile.already_had"] == "2" })
        #expect(!logs.entries.contains { $0.level >= .warning }, "\(logs.entries)")
        let stored = try await store.all()
        #expect(Set(stored.map(\.received.eventType)) == ["charge.succeeded", "payment_intent.succeeded"])
        #expect(stored.allSatisfy { $0.received.origin == .reconciled })
        await store.close()
        #expect(try emulator.stop() == 0)
    }
}
