import Foundation
import Glibc
import HookgateStore
import HookgateTestSupport

/// A `hookgate serve` for the browser tests: ``DeliveryScenario``'s configuration (one Stripe endpoint, fast
/// retries, forwarding to `<data dir>/payments.sock`) with the token-guarded dashboard listener on a free
/// loopback port (`HOOKGATE_ADMIN_HTTP_LISTEN`, `HOOKGATE_ADMIN_TOKEN`).
final class DashboardGateway: @unchecked Sendable {
    /// The access token the gateway is given (no answer or log line of it may hold it).
    static let token = "dashboardTestToken-7Qm2vX9kLp4Rz8Wn"

    let directory: TemporaryDirectory
    /// The configuration file `serve` reads (again on SIGHUP).
    let configPath: String
    let gateway: GatewayProcess
    /// The dashboard listener's port.
    let dashboardPort: Int

    init() throws {
        self.directory = try TemporaryDirectory()
        self.configPath = try self.directory.write(
            "hookgate-dashboard.json",
            Array(DeliveryScenario.configuration(timeoutMilliseconds: 2000).utf8)
        )
        self.dashboardPort = try LoopbackPort.free()
        let data = self.directory.url.appendingPathComponent("data")
        self.gateway = try GatewayProcess(
            directory: self.directory.url,
            arguments: ["--config", self.configPath],
            environment: [
                "STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret,
                "HOOKGATE_DATA_DIR": data.path,
                "HOOKGATE_UPSTREAM_SOCKET": data.appendingPathComponent("payments.sock").path,
                "HOOKGATE_ADMIN_HTTP_LISTEN": "127.0.0.1:\(self.dashboardPort)",
                "HOOKGATE_ADMIN_TOKEN": Self.token,
            ]
        )
    }

    /// `http://127.0.0.1:<port>`, the dashboard's origin.
    var origin: String { "http://127.0.0.1:\(self.dashboardPort)" }

    /// `<data dir>/admin.sock`, the admin listener's Unix socket.
    var adminSocketPath: String { self.directory.url.appendingPathComponent("data/admin.sock").path }

    /// `<data dir>/payments.sock`, where the gateway forwards.
    var socketPath: String { self.directory.url.appendingPathComponent("data/payments.sock").path }

    /// Starts `hookgate sink --format json` on the gateway's upstream socket with `arguments`.
    func startSink(_ arguments: [String] = []) throws -> SinkProcess {
        try SinkProcess.reportingJSON(on: self.socketPath, in: self.directory.url, arguments: arguments)
    }

    /// Runs `hookgate send` with `arguments` against the gateway, trusting its development certificate.
    func send(_ arguments: [String]) throws -> HookgateProcess.Result {
        try HookgateProcess.run(
            ["send"] + arguments + ["--insecure", "--url", "https://127.0.0.1:\(self.gateway.port)/webhooks/stripe"],
            environment: ["STRIPE_WEBHOOK_SECRET": DeliveryScenario.secret]
        )
    }

    /// Opens the gateway's store beside it (SQLite in WAL mode allows it); close it when done.
    func openStore() throws -> SQLiteDeliveryStore {
        let path = self.directory.url.appendingPathComponent("data/hookgate.sqlite").path
        return try SQLiteDeliveryStore.running(configuration: .init(path: path))
    }
}
