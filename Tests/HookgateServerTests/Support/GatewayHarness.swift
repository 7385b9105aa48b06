import Foundation
import HookgateCore
import HookgateServer
import HookgateStore
import HookgateTestSupport
import InMemoryLogging
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// One running gateway for a test: a temporary directory with a fresh certificate and SQLite store, the
/// ingress on 127.0.0.1 with an ephemeral port, and the admin listener on a Unix socket in that directory.
struct GatewayHarness {
    static let secret = "whsec_test_secret_for_the_ingress_tests"
    static let scheme = StripeSignatureScheme()

    let directory: URL
    /// The store the ingress appends to: the SQLite store, behind a switch to make it fail or wait.
    let store: FaultyStore
    /// What the readiness probe reports for the store.
    let storeWritable: NIOLockedValueBox<Bool>
    let sqlite: SQLiteDeliveryStore
    let ingress: IngressServer
    let admin: AdminServer
    let metrics: GatewayMetrics
    let port: Int
    let adminSocketPath: String
    let certificate: TestCertificate
    let group: ServiceGroup

    /// The default test endpoint: Stripe, at `/webhooks/stripe`.
    static func endpoint(
        name: String = "stripe",
        path: String = "/webhooks/stripe",
        secrets: [LabelledSecret] = [LabelledSecret(label: "current", secret: Secret(secret))],
        expectedMode: ExpectedMode = .any,
        allowedSources: [AddressRange] = [],
        maximumBodyBytes: Int = 64 * 1024
    ) throws -> GatewayEndpoint {
        GatewayEndpoint(
            name: name,
            path: path,
            scheme: scheme,
            keyring: try Keyring(scheme: scheme, secrets: secrets),
            expectedMode: expectedMode,
            allowedSources: allowedSources,
            maximumBodyBytes: maximumBodyBytes
        )
    }

    /// Limits for the tests: the defaults with a 2 s shutdown grace period.
    static var limits: GatewayLimits {
        var limits = GatewayLimits()
        limits.shutdownGracePeriod = .seconds(2)
        return limits
    }

    /// Settings for `directory` with `certificate`.
    static func settings(
        directory: URL,
        certificate: TestCertificate,
        endpoints: [GatewayEndpoint]
    ) -> GatewaySettings {
        GatewaySettings(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)],
            tls: certificate.files,
            endpoints: endpoints,
            limits: Self.limits,
            admin: .unixSocket(path: directory.appendingPathComponent("admin.sock").path)
        )
    }

    /// Runs a gateway around `body` and shuts it down gracefully afterwards.
    /// - Parameters:
    ///   - endpoints: The endpoints; the default Stripe endpoint if `nil`.
    ///   - limits: The limits; defaults with a 2 s shutdown grace period if `nil`.
    ///   - logs: Records what the gateway logs at `info` and above (else only `HOOKGATE_TEST_LOG` shows logs).
    ///   - alongside: Services that run in the gateway's service group beside the listeners (e.g. a delivery
    ///     worker), made from the SQLite store and the temporary directory; none by default.
    static func run<T: Sendable>(
        endpoints: [GatewayEndpoint]? = nil,
        limits: GatewayLimits? = nil,
        logs: InMemoryLogHandler? = nil,
        alongside: (SQLiteDeliveryStore, URL) throws -> [any Service] = { _, _ in [] },
        _ body: (GatewayHarness) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-server-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = try TestCertificate.make(in: directory)
        var settings = Self.settings(
            directory: directory,
            certificate: certificate,
            endpoints: try endpoints ?? [Self.endpoint()]
        )
        if let limits { settings.limits = limits }
        let sqlite = try SQLiteDeliveryStore.running(
            configuration: .init(path: directory.appendingPathComponent("hookgate.sqlite").path)
        )
        let store = FaultyStore(sqlite)
        let storeWritable = NIOLockedValueBox(true)
        let metrics = GatewayMetrics()
        var logger = Logger(label: "hookgate.test")
        logger.logLevel = ProcessInfo.processInfo.environment["HOOKGATE_TEST_LOG"] == nil ? .critical : .debug
        if let logs {
            logger = Logger(label: "hookgate.test", factory: { _ in logs })
            logger.logLevel = .info
        }
        let ingress = try IngressServer(settings: settings, store: store, metrics: metrics, logger: logger)
        let admin = AdminServer(
            address: settings.admin,
            metrics: metrics,
            ingress: ingress,
            storeIsWritable: { storeWritable.withLockedValue { $0 } },
            logger: logger
        )
        let services = try alongside(sqlite, directory).map {
            ServiceGroupConfiguration.ServiceConfiguration(service: $0)
        }
        let group = ServiceGroup(
            configuration: .init(services: services + [.init(service: admin), .init(service: ingress)], logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try await ingress.boundAddresses()[0].port!
                _ = try await admin.boundAddresses()
                let harness = GatewayHarness(
                    directory: directory,
                    store: store,
                    storeWritable: storeWritable,
                    sqlite: sqlite,
                    ingress: ingress,
                    admin: admin,
                    metrics: metrics,
                    port: port,
                    adminSocketPath: directory.appendingPathComponent("admin.sock").path,
                    certificate: certificate,
                    group: group
                )
                let result = try await body(harness)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                await sqlite.close()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                await sqlite.close()
                throw error
            }
        }
    }

    /// Begins a graceful shutdown without waiting for it.
    func shutdown() async {
        await self.group.triggerGracefulShutdown()
    }

    /// A new TLS connection to the ingress, handshake done.
    func connect() async throws -> TestClient {
        let client = try await TestClient.connect(port: self.port)
        try await client.waitForHandshake()
        return client
    }

    /// The Stripe signature header for `body`, signed now (or at `timestamp`) with `secret`.
    static func signature(for body: [UInt8], secret: String = Self.secret, timestamp: Int64? = nil) -> String {
        let key = try! Self.scheme.makeKey(Secret(secret), label: "test")
        let time = timestamp ?? Int64(Date().timeIntervalSince1970)
        let headers = Self.scheme.sign(body: body, keys: [key], timestamp: time, messageID: nil)
        return headers["stripe-signature"]!
    }

    /// A Stripe-like event body (about `padding` bytes larger than its envelope).
    static func event(
        id: String = "evt_\(UUID().uuidString.prefix(8))",
        livemode: Bool = false,
        padding: Int = 0
    )
        -> [UInt8]
    {
        let filler = String(repeating: "x", count: padding)
        return Array(
            """
            {
              "id": "\(id)",
              "object": "event",
              "api_version": "2024-06-20",
              "created": 1700000000,
              "data": {"object": {"id": "pi_1", "object": "payment_intent", "amount": 2000, "note": "\(filler)"}},
              "livemode": \(livemode),
              "pending_webhooks": 1,
              "request": {"id": null, "idempotency_key": null},
              "type": "payment_intent.succeeded"
            }
            """.utf8
        )
    }

    /// Posts a signed event on `client` and reads the answer.
    func postSigned(
        _ client: TestClient,
        body: [UInt8],
        extraHeaders: [(String, String)] = []
    ) async throws -> TestClient.Response {
        try await client.post(
            body: body,
            headers: [("stripe-signature", Self.signature(for: body))] + extraHeaders
        )
        return try await client.readResponse()
    }

    /// The stored deliveries with this event id.
    func stored(eventID: String) async throws -> [DeliveryRecord] {
        try await self.sqlite.deliveries(matching: DeliveryQuery(eventID: eventID))
    }
}

extension GatewayLimits {
    /// The test limits with some values changed.
    static func testing(
        maximumConnections: Int? = nil,
        headerReadTimeout: Duration? = nil,
        bodyReadTimeout: Duration? = nil,
        idleTimeout: Duration? = nil
    ) -> GatewayLimits {
        var limits = GatewayHarness.limits
        if let maximumConnections { limits.maximumConnections = maximumConnections }
        if let headerReadTimeout { limits.headerReadTimeout = headerReadTimeout }
        if let bodyReadTimeout { limits.bodyReadTimeout = bodyReadTimeout }
        if let idleTimeout { limits.idleTimeout = idleTimeout }
        return limits
    }
}
