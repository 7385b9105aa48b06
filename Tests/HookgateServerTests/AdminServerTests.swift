import Foundation
import HookgateCore
import HookgateServer
import HookgateStore
import HookgateTestSupport
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import Testing

/// The admin listener over its Unix socket (and loopback TCP).
@Suite(.timeLimit(.minutes(1)))
struct AdminServerTests {
    private func get(_ path: String, socket: String) async throws -> TestClient.Response {
        try await self.get(path, at: try SocketAddress(unixDomainSocketPath: socket))
    }

    private func get(_ path: String, at address: SocketAddress) async throws -> TestClient.Response {
        let client = try await TestClient.connectPlain(to: address)
        try await client.send("GET \(path) HTTP/1.1\r\nhost: admin\r\n\r\n")
        let response = try await client.readResponse()
        await client.close()
        return response
    }

    /// The socket is created with mode 0600; `/healthz` answers 200.
    @Test func healthOverUnixSocket() async throws {
        try await GatewayHarness.run { gateway in
            let attributes = try FileManager.default.attributesOfItem(atPath: gateway.adminSocketPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let response = try await self.get("/healthz", socket: gateway.adminSocketPath)
            #expect(response.status == 200)
            #expect(response.body == #"{"status":"alive"}"#)
            let unknown = try await self.get("/nope", socket: gateway.adminSocketPath)
            #expect(unknown.status == 404)
            #expect(
                unknown.body
                    == #"{"error":"not_found","message":"the admin listener has no route at this path (it serves /healthz, /readyz, /metrics, /deliveries and /replay)"}"#
            )
        }
    }

    /// A request with `Connection: close`, or over HTTP/1.0, is answered and its connection closed; a kept-alive
    /// one stays open for the next request.
    @Test func closesTheConnectionWhenTheClientAsks() async throws {
        try await GatewayHarness.run { gateway in
            let address = try SocketAddress(unixDomainSocketPath: gateway.adminSocketPath)
            for request in [
                "GET /healthz HTTP/1.1\r\nhost: admin\r\nconnection: close\r\n\r\n",
                "GET /healthz HTTP/1.0\r\n\r\n",
            ] {
                let client = try await TestClient.connectPlain(to: address)
                try await client.send(request)
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.headers["connection"] == "close")
                #expect(try await client.waitForClose(), "still open after: \(request.prefix(24))")
                await client.close()
            }
            let kept = try await TestClient.connectPlain(to: address)
            for _ in 0..<2 {
                try await kept.send("GET /healthz HTTP/1.1\r\nhost: admin\r\n\r\n")
                #expect(try await kept.readResponse().status == 200)
            }
            await kept.close()
        }
    }

    /// An admin listener whose socket another listener serves fails with the path and the cause, and leaves
    /// that socket alone: the other listener keeps serving.
    @Test func neverTakesOrRemovesALiveSocket() async throws {
        try await GatewayHarness.run { (gateway: GatewayHarness) async throws in
            let second = AdminServer(
                address: .unixSocket(path: gateway.adminSocketPath),
                metrics: gateway.metrics,
                ingress: gateway.ingress,
                storeIsWritable: { true }
            )
            let error = await #expect(throws: ListenError.self) { try await second.run() }
            #expect(
                error?.description
                    == "cannot listen on \(gateway.adminSocketPath): another process is listening on it"
                    + " (a gateway, a sink or the payment system)"
            )
            #expect(try await self.get("/healthz", socket: gateway.adminSocketPath).status == 200)
        }
    }

    /// The admin listener can be a loopback TCP port instead of a socket.
    @Test func healthOverLoopbackTCP() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hookgate-admin-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = try TestCertificate.make(in: directory)
        let settings = GatewayHarness.settings(
            directory: directory,
            certificate: certificate,
            endpoints: [try GatewayHarness.endpoint()]
        )
        let store = try SQLiteDeliveryStore.running(
            configuration: .init(path: directory.appendingPathComponent("s.sqlite").path)
        )
        let metrics = GatewayMetrics()
        let ingress = try IngressServer(settings: settings, store: store, metrics: metrics)
        let admin = AdminServer(
            address: .tcp(ListenAddress(host: "127.0.0.1", port: 0)),
            metrics: metrics,
            ingress: ingress,
            storeIsWritable: { true }
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: admin), .init(service: ingress)],
                logger: Logger(label: "test")
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = try await ingress.boundAddresses()
            let address = try await admin.boundAddresses()[0]
            #expect(try await self.get("/healthz", at: address).status == 200)
            #expect(try await self.get("/readyz", at: address).status == 200)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await store.close()
    }

    /// `/readyz` is 200 while everything is fine and 503 with the reason when the store is not writable.
    @Test func readinessFollowsTheStoreProbe() async throws {
        try await GatewayHarness.run { gateway in
            let ready = try await self.get("/readyz", socket: gateway.adminSocketPath)
            #expect(ready.status == 200)
            gateway.storeWritable.withLockedValue { $0 = false }
            let notReady = try await self.get("/readyz", socket: gateway.adminSocketPath)
            #expect(notReady.status == 503)
            #expect(notReady.body.contains("store_not_writable"))
        }
    }

    /// `/metrics` has the request, verification, duplicate, latency and connection metrics in Prometheus text.
    @Test func metricsInPrometheusFormat() async throws {
        try await GatewayHarness.run { gateway in
            let client = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_metrics")
            _ = try await gateway.postSigned(client, body: body)
            _ = try await gateway.postSigned(client, body: body)
            let stale = GatewayHarness.signature(for: body, timestamp: Int64(Date().timeIntervalSince1970) - 3600)
            try await client.post(body: body, headers: [("stripe-signature", stale)])
            _ = try await client.readResponse()
            let response = try await self.get("/metrics", socket: gateway.adminSocketPath)
            #expect(response.status == 200)
            #expect(response.headers["content-type"]?.hasPrefix("text/plain") == true)
            let text = response.body
            #expect(text.contains(#"hookgate_requests{endpoint="stripe",outcome="ok"} 1"#))
            #expect(text.contains(#"hookgate_requests{endpoint="stripe",outcome="duplicate"} 1"#))
            #expect(
                text.contains(
                    #"hookgate_verification_failures{endpoint="stripe",reason="timestamp_outside_tolerance"} 1"#
                )
            )
            #expect(text.contains(#"hookgate_duplicates{endpoint="stripe"} 1"#))
            #expect(text.contains("http_server_request_duration_bucket"))
            #expect(text.contains("hookgate_store_append_duration_bucket"))
            #expect(text.contains("hookgate_connections_open 1"))
            #expect(text.contains("http_server_active_requests"))
            #expect(text.contains("hookgate_tls_handshake_failures"))
            await client.close()
        }
    }
}
