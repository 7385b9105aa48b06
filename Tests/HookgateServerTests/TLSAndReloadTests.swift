import Foundation
import HookgateCore
import HookgateServer
import NIOSSL
import Prometheus
import Testing

/// TLS versions, certificate reload, graceful shutdown.
@Suite(.timeLimit(.minutes(1)))
struct TLSAndReloadTests {
    /// TLS 1.0 and 1.1 are refused.
    @Test(arguments: [TLSVersion.tlsv1, .tlsv11])
    func refusesOldTLS(_ version: TLSVersion) async throws {
        try await GatewayHarness.run { gateway in
            let client = try await TestClient.connect(
                port: gateway.port,
                tls: TestClient.tlsConfiguration(minimum: version, maximum: version)
            )
            await #expect(throws: (any Error).self) { try await client.waitForHandshake() }
            await client.close()
            // The server counts the failed handshake (it may see it a moment after the client).
            var counted = false
            for _ in 0..<50 where !counted {
                counted = gateway.metrics.registry.emitToString().contains("hookgate_tls_handshake_failures 1")
                if !counted { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(counted)
        }
    }

    /// TLS 1.2 and 1.3 are accepted and serve requests.
    @Test(arguments: [TLSVersion.tlsv12, .tlsv13])
    func acceptsModernTLS(_ version: TLSVersion) async throws {
        try await GatewayHarness.run { gateway in
            let client = try await TestClient.connect(
                port: gateway.port,
                tls: TestClient.tlsConfiguration(minimum: version, maximum: version)
            )
            try await client.waitForHandshake()
            #expect(try await gateway.postSigned(client, body: GatewayHarness.event()).status == 200)
            await client.close()
        }
    }

    /// A reload gives new connections the new certificate while an open connection keeps working; a reload
    /// with an unreadable certificate fails and changes nothing.
    @Test func reloadSwapsCertificateForNewConnections() async throws {
        try await GatewayHarness.run { gateway in
            let original = try NIOSSLCertificate.fromPEMFile(gateway.certificate.files.certificateChainPath)[0]
            let open = try await gateway.connect()
            #expect(try await open.peerCertificate() == original)

            let renewed = try TestCertificate.make(in: gateway.directory, commonName: "renewed")
            var settings = GatewayHarness.settings(
                directory: gateway.directory,
                certificate: renewed,
                endpoints: [try GatewayHarness.endpoint()]
            )
            try gateway.ingress.reload(settings)
            let renewedCertificate = try NIOSSLCertificate.fromPEMFile(renewed.files.certificateChainPath)[0]

            let fresh = try await gateway.connect()
            #expect(try await fresh.peerCertificate() == renewedCertificate)
            #expect(try await gateway.postSigned(fresh, body: GatewayHarness.event()).status == 200)
            #expect(try await gateway.postSigned(open, body: GatewayHarness.event()).status == 200)

            settings.tls = TLSFiles(
                certificateChainPath: "/nonexistent/cert.pem",
                privateKeyPath: "/nonexistent/key.pem"
            )
            #expect(throws: (any Error).self) { try gateway.ingress.reload(settings) }
            let after = try await gateway.connect()
            #expect(try await after.peerCertificate() == renewedCertificate)
            for client in [open, fresh, after] { await client.close() }
        }
    }

    /// A reload changes the endpoints for new connections (here: a new secret).
    @Test func reloadSwapsEndpointSecrets() async throws {
        try await GatewayHarness.run { gateway in
            let newSecret = "whsec_rotated_secret_after_reload"
            let settings = GatewayHarness.settings(
                directory: gateway.directory,
                certificate: gateway.certificate,
                endpoints: [
                    try GatewayHarness.endpoint(secrets: [LabelledSecret(label: "next", secret: Secret(newSecret))])
                ]
            )
            try gateway.ingress.reload(settings)
            let client = try await gateway.connect()
            let body = GatewayHarness.event()
            try await client.post(
                body: body,
                headers: [("stripe-signature", GatewayHarness.signature(for: body, secret: newSecret))]
            )
            #expect(try await client.readResponse().status == 200)
            let old = try await gateway.postSigned(client, body: GatewayHarness.event())
            #expect(old.errorCode == "signature_mismatch")
            await client.close()
        }
    }

    /// A request in flight when shutdown begins is finished and answered 200, and it is stored.
    @Test func gracefulShutdownFinishesInFlightRequests() async throws {
        try await GatewayHarness.run { gateway in
            gateway.store.set(.delayed(.seconds(1)))
            let client = try await gateway.connect()
            let idle = try await gateway.connect()
            let body = GatewayHarness.event(id: "evt_inflight")
            try await client.post(body: body, headers: [("stripe-signature", GatewayHarness.signature(for: body))])
            // Shut down while the append waits in the store (1 s, within the 2 s grace period); a fixed
            // pause could end after the append on a loaded machine, and the test would see no shutdown.
            while gateway.store.appendsStarted == 0 { try await Task.sleep(for: .milliseconds(5)) }
            await gateway.shutdown()
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.headers["connection"] == "close")
            #expect(try await client.waitForClose())
            #expect(try await idle.waitForClose())
            #expect(try await gateway.stored(eventID: "evt_inflight").count == 1)
            // New connections are refused.
            await #expect(throws: (any Error).self) {
                let late = try await TestClient.connect(port: gateway.port)
                try await late.waitForHandshake()
            }
        }
    }
}
