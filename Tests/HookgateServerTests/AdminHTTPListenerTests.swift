import Foundation
import HookgateCore
import HookgateServer
import InMemoryLogging
import Logging
import NIOCore
import Testing

/// The browser-facing admin listener (`admin.http_listen`) over real sockets: the gate in front of every route,
/// the token exchange and its cookies, TLS, and the security headers on every answer of every listener.
@Suite(.timeLimit(.minutes(1)))
struct AdminHTTPListenerTests {
    static let token = "listener-token-0123456789abcdef"

    /// Runs the gateway's admin listener's companion on 127.0.0.1 (TLS with the gateway's certificate when
    /// `tls`) around `body`, which gets the gateway and the companion's port; the companion logs into `logs`.
    private func withListener(
        tls: Bool = false,
        logs: InMemoryLogHandler = InMemoryLogHandler(),
        _ body: @escaping (GatewayHarness, Int) async throws -> Void
    ) async throws {
        try await GatewayHarness.run { gateway in
            var logger = Logger(label: "hookgate.admin.http", factory: { _ in logs })
            logger.logLevel = .trace
            let listener = gateway.admin.companion(
                address: .tcp(ListenAddress(host: "127.0.0.1", port: 0)),
                access: AdminAccess(token: Secret(Self.token)),
                tls: tls ? gateway.certificate.files : nil,
                logger: logger
            )
            let task = Task { try await listener.run() }
            defer { task.cancel() }
            let port = try #require(try await listener.boundAddresses().first?.port)
            try await body(gateway, port)
            task.cancel()
            try await task.value
        }
    }

    private func exchange(
        _ request: String,
        port: Int,
        tls: Bool = false
    ) async throws -> TestClient.Response {
        let client =
            tls
            ? try await TestClient.connect(port: port)
            : try await TestClient.connectPlain(to: try SocketAddress(ipAddress: "127.0.0.1", port: port))
        try await client.send(request)
        let response = try await client.readResponse()
        await client.close()
        return response
    }

    private func expectSecurityHeaders(_ response: TestClient.Response) {
        #expect(response.headers["content-security-policy"] == AdminSecurityHeaders.contentSecurityPolicy)
        #expect(response.headers["x-content-type-options"] == "nosniff")
        #expect(response.headers["referrer-policy"] == "no-referrer")
        #expect(response.headers["x-frame-options"] == "DENY")
        #expect(response.headers["cache-control"] == "no-store")
    }

    /// The session cookie's value in a redirect's `set-cookie` fields.
    private func cookie(_ name: String, in response: TestClient.Response) -> String? {
        response.fields.first { $0.name == "set-cookie" && $0.value.hasPrefix("\(name)=") }.map {
            String($0.value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
    }

    @Test func everyRouteIsGuarded() async throws {
        let logs = InMemoryLogHandler()
        try await self.withListener(logs: logs) { gateway, port in
            for path in ["/healthz", "/readyz", "/metrics", "/deliveries", "/", "/?token=wrong-0123456789abcdef"] {
                let response = try await self.exchange("GET \(path) HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n", port: port)
                #expect(response.status == 401, "\(path)")
                #expect(response.errorCode == "unauthorized")
                #expect(response.headers["www-authenticate"] == "Bearer")
                self.expectSecurityHeaders(response)
            }
            let bearer = try await self.exchange(
                "GET /metrics HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer \(Self.token)\r\n\r\n",
                port: port
            )
            #expect(bearer.status == 200)
            self.expectSecurityHeaders(bearer)
            // The Unix socket has no gate, and the same headers.
            let client = try await TestClient.connectPlain(
                to: try SocketAddress(unixDomainSocketPath: gateway.adminSocketPath)
            )
            try await client.send("GET /healthz HTTP/1.1\r\nhost: admin\r\n\r\n")
            let unguarded = try await client.readResponse()
            await client.close()
            #expect(unguarded.status == 200)
            self.expectSecurityHeaders(unguarded)
        }
        let logged = logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(logged.contains("admin listening"))
        #expect(!logged.contains(Self.token))
    }

    @Test func theTokenBecomesASessionCookie() async throws {
        try await self.withListener { _, port in
            let redirect = try await self.exchange(
                "GET /?token=\(Self.token) HTTP/1.1\r\nhost: 127.0.0.1:\(port)\r\n\r\n",
                port: port
            )
            #expect(redirect.status == 303)
            #expect(redirect.headers["location"] == "/")
            #expect(redirect.body.isEmpty)
            self.expectSecurityHeaders(redirect)
            let cookies = redirect.fields.filter { $0.name == "set-cookie" }.map(\.value)
            #expect(cookies.count == 2)
            #expect(
                cookies.allSatisfy {
                    !$0.contains(Self.token) && $0.contains("SameSite=Strict") && !$0.contains("Secure")
                }
            )
            let session = try #require(self.cookie("hookgate_session", in: redirect))
            let csrf = try #require(self.cookie("hookgate_csrf", in: redirect))
            let cookie = "cookie: hookgate_session=\(session); hookgate_csrf=\(csrf)\r\n"
            let host = "host: 127.0.0.1:\(port)\r\n"
            let health = try await self.exchange("GET /healthz HTTP/1.1\r\n\(host)\(cookie)\r\n", port: port)
            #expect(health.status == 200)
            let post = "POST /replay HTTP/1.1\r\n\(host)\(cookie)content-length: 2\r\n"
            let withoutCSRF = try await self.exchange("\(post)origin: http://127.0.0.1:\(port)\r\n\r\n{}", port: port)
            #expect(withoutCSRF.status == 403)
            #expect(withoutCSRF.errorCode == "csrf_rejected")
            self.expectSecurityHeaders(withoutCSRF)
            let crossSite = try await self.exchange(
                "\(post)x-csrf-token: \(csrf)\r\norigin: http://evil.example\r\n\r\n{}",
                port: port
            )
            #expect(crossSite.status == 403)
            // Past the gate: the harness's admin has no /replay route, so the listener's own 405.
            let passed = try await self.exchange(
                "\(post)x-csrf-token: \(csrf)\r\norigin: http://127.0.0.1:\(port)\r\n\r\n{}",
                port: port
            )
            #expect(passed.status == 405)
        }
    }

    /// A connection that sends no request, half a head, or stays idle after an answer is closed after the read
    /// timeout; a route slower than that still answers.
    @Test func slowClientsAreClosedSlowRoutesAnswer() async throws {
        try await GatewayHarness.run { gateway in
            let listener = AdminServer(
                address: .tcp(ListenAddress(host: "127.0.0.1", port: 0)),
                metrics: gateway.metrics,
                ingress: gateway.ingress,
                storeIsWritable: { true },
                router: { request in
                    guard request.path == "/slow" else { return nil }
                    try? await Task.sleep(for: .milliseconds(900))
                    return AdminResponse(status: 200, body: Array("slow".utf8))
                },
                access: AdminAccess(token: Secret(Self.token)),
                requestReadTimeout: .milliseconds(300)
            )
            let task = Task { try await listener.run() }
            defer { task.cancel() }
            let address = try #require(try await listener.boundAddresses().first)
            let silent = try await TestClient.connectPlain(to: address)
            #expect(try await silent.waitForClose(timeout: .seconds(5)))
            let halfHead = try await TestClient.connectPlain(to: address)
            try await halfHead.send("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n")
            #expect(try await halfHead.waitForClose(timeout: .seconds(5)))
            let patient = try await TestClient.connectPlain(to: address)
            try await patient.send(
                "GET /slow HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer \(Self.token)\r\n\r\n"
            )
            let slow = try await patient.readResponse()
            #expect(slow.status == 200)
            #expect(slow.body == "slow")
            #expect(try await patient.waitForClose(timeout: .seconds(5)))
            task.cancel()
            try await task.value
        }
    }

    @Test func overTLSTheCookiesAreSecure() async throws {
        try await self.withListener(tls: true) { _, port in
            let redirect = try await self.exchange(
                "GET /?token=\(Self.token) HTTP/1.1\r\nhost: localhost:\(port)\r\n\r\n",
                port: port,
                tls: true
            )
            #expect(redirect.status == 303)
            let cookies = redirect.fields.filter { $0.name == "set-cookie" }.map(\.value)
            #expect(cookies.count == 2 && cookies.allSatisfy { $0.hasSuffix("; Secure") })
            let session = try #require(self.cookie("hookgate_session", in: redirect))
            let health = try await self.exchange(
                "GET /healthz HTTP/1.1\r\nhost: localhost\r\ncookie: hookgate_session=\(session)\r\n\r\n",
                port: port,
                tls: true
            )
            #expect(health.status == 200)
        }
    }
}
