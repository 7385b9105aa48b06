import Foundation
import Glibc
import HookgateStore
import HookgateTestSupport

/// A `hookgate serve` in a temporary directory that forwards to `<data dir>/payments.sock` with fast retries,
/// and what the delivery tests drive it with: `hookgate sink` on that socket, `hookgate send`, the store.
final class DeliveryScenario: @unchecked Sendable {
    static let secret = "whsec_hookgateDeliveryTests0001"

    let directory: TemporaryDirectory
    let configPath: String
    /// The gateway now running (replaced by ``restartGateway()``).
    private(set) var gateway: GatewayProcess

    /// Starts `serve` with `upstream.retry.base_ms` 100, `cap_seconds` 1 and `upstream.timeout_ms`
    /// `timeoutMilliseconds` (a killed gateway's leases expire 30 s after that).
    init(timeoutMilliseconds: Int = 2000) throws {
        self.directory = try TemporaryDirectory()
        let config = Self.configuration(timeoutMilliseconds: timeoutMilliseconds)
        self.configPath = try self.directory.write("hookgate-delivery.json", Array(config.utf8))
        self.gateway = try Self.startGateway(in: self.directory, config: self.configPath)
    }

    /// A development configuration with one Stripe endpoint, `upstream.timeout_ms` `timeoutMilliseconds` and
    /// fast retries (`base_ms` 100, `cap_seconds` 1).
    static func configuration(timeoutMilliseconds: Int) -> String {
        """
        {
          "mode": "development",
          "listen": ["127.0.0.1:0"],
          "endpoints": [{"name": "stripe", "path": "/webhooks/stripe", "scheme": "stripe",
                         "secrets": [{"label": "current", "env": "STRIPE_WEBHOOK_SECRET"}]}],
          "upstream": {"timeout_ms": \(timeoutMilliseconds), "retry": {"base_ms": 100, "cap_seconds": 1}}
        }
        """
    }

    /// One payment's events in `created` order — a failure, the success, two refunds — created from `created`
    /// on, and an order to send them in that is not theirs. (The failure goes before the success: a failure
    /// that arrives after its payment's success is superseded, not forwarded.)
    static func paymentLifecycle(
        createdFrom created: Int64
    ) -> (events: [(type: String, created: Int64)], sendingOrder: [Int]) {
        (
            [
                ("payment_intent.payment_failed", created),
                ("payment_intent.succeeded", created + 1),
                ("refund.updated", created + 2),
                ("refund.updated", created + 3),
            ],
            [3, 0, 2, 1]
        )
    }

    /// `<data dir>/hookgate.sqlite`.
    var storePath: String { self.directory.url.appendingPathComponent("data/hookgate.sqlite").path }
    /// `<data dir>/payments.sock`, where the gateway forwards.
    var socketPath: String { self.directory.url.appendingPathComponent("data/payments.sock").path }

    /// Kills the gateway with SIGKILL and waits until it is gone.
    func killGateway() throws {
        self.gateway.send(SIGKILL)
        _ = try self.gateway.waitForExit()
    }

    /// Starts a new gateway on the same data directory (on another ephemeral port).
    func restartGateway() throws {
        self.gateway = try Self.startGateway(in: self.directory, config: self.configPath)
    }

    /// Starts `hookgate sink --format json` on the gateway's upstream socket with `arguments`.
    func startSink(_ arguments: [String] = []) throws -> SinkProcess {
        try SinkProcess.reportingJSON(on: self.socketPath, in: self.directory.url, arguments: arguments)
    }

    /// Runs `hookgate send` with `arguments` against the gateway, trusting its development certificate.
    func send(_ arguments: [String]) throws -> HookgateProcess.Result {
        try HookgateProcess.run(
            ["send"] + arguments + ["--insecure", "--url", "https://127.0.0.1:\(self.gateway.port)/webhooks/stripe"],
            environment: ["STRIPE_WEBHOOK_SECRET": Self.secret]
        )
    }

    /// Opens the gateway's store beside it (SQLite in WAL mode allows it); close it when done.
    func openStore() throws -> SQLiteDeliveryStore {
        try SQLiteDeliveryStore.running(configuration: .init(path: self.storePath))
    }

    private static func startGateway(in directory: TemporaryDirectory, config: String) throws -> GatewayProcess {
        try GatewayProcess(
            directory: directory.url,
            arguments: ["--config", config],
            environment: [
                "STRIPE_WEBHOOK_SECRET": Self.secret,
                "HOOKGATE_DATA_DIR": directory.url.appendingPathComponent("data").path,
                "HOOKGATE_UPSTREAM_SOCKET": directory.url.appendingPathComponent("data/payments.sock").path,
            ]
        )
    }
}

extension SQLiteDeliveryStore {
    /// Every stored delivery.
    func all() async throws -> [DeliveryRecord] {
        try await self.deliveries(matching: DeliveryQuery(limit: 100_000))
    }

    /// Polls every 100 ms until `condition` holds for every stored delivery (and there are `count`), at most
    /// `timeout` seconds; returns them.
    func waitUntilAll(
        _ count: Int,
        timeout: TimeInterval = 20,
        _ condition: (DeliveryRecord) -> Bool
    ) async throws -> [DeliveryRecord] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let records = try await self.all()
            if records.count == count, records.allSatisfy(condition) { return records }
            guard Date() < deadline else {
                let states = records.map { "\($0.received.eventID) \($0.state) attempts \($0.attemptCount)" }
                throw GatewayProcessError(message: "deliveries not there in \(timeout) s: \(states)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
