import HookgateCore
import HookgateServer
import NIOCore
import Testing

/// The gate's decisions, request by request: the token exchange, Bearer, the session cookie, CSRF and origin.
struct AdminAccessTests {
    static let token = "test-token-0123456789abcdef"

    private func request(
        _ method: String = "GET",
        _ path: String = "/deliveries",
        query: [String: String] = [:],
        headers: [String: String] = [:]
    ) -> AdminRequest {
        AdminRequest(method: method, path: path, query: query, headers: headers, body: [])
    }

    /// The answer of a decision, or nil for `.allow`.
    private func answer(_ decision: AdminAccess.Decision) -> AdminResponse? {
        if case .answer(let response) = decision { return response }
        return nil
    }

    private func errorCode(_ decision: AdminAccess.Decision) -> String? {
        guard let response = self.answer(decision) else { return nil }
        let body = String(decoding: response.body, as: UTF8.self)
        return body.firstMatch(of: /"error":"([a-z_]+)"/).map { String($0.1) }
    }

    /// The session and CSRF cookies of an exchange's answer.
    private func exchange(_ access: AdminAccess, secure: Bool = false) throws -> (session: String, csrf: String) {
        let response = try #require(
            self.answer(access.decide(self.request("GET", "/", query: ["token": Self.token]), secure: secure))
        )
        #expect(response.status == 303)
        #expect(response.headers.first { $0.name == "location" }?.value == "/")
        let cookies = response.headers.filter { $0.name == "set-cookie" }.map(\.value)
        #expect(cookies.count == 2)
        let session = try #require(cookies.first { $0.hasPrefix("hookgate_session=") })
        let csrf = try #require(cookies.first { $0.hasPrefix("hookgate_csrf=") })
        let suffix = secure ? "; Secure" : ""
        #expect(session.hasSuffix("; Path=/; HttpOnly; SameSite=Strict\(suffix)"))
        #expect(csrf.hasSuffix("; Path=/; SameSite=Strict\(suffix)"))
        #expect(!cookies.joined().contains(Self.token))
        let sessionID = String(session.dropFirst("hookgate_session=".count).prefix { $0 != ";" })
        let csrfValue = String(csrf.dropFirst("hookgate_csrf=".count).prefix { $0 != ";" })
        #expect(sessionID.wholeMatch(of: /[0-9a-f]{64}/) != nil && csrfValue.wholeMatch(of: /[0-9a-f]{64}/) != nil)
        #expect(sessionID != csrfValue)
        return (sessionID, csrfValue)
    }

    @Test func withoutCredentialsIs401WithoutTheToken() throws {
        let access = AdminAccess(token: Secret(Self.token))
        for request in [
            self.request(), self.request("GET", "/"), self.request("POST", "/replay"),
            self.request(headers: ["cookie": "hookgate_session=0123"]),
            self.request(headers: ["authorization": "Bearer wrong-token-0123456789abcdef"]),
            self.request(headers: ["authorization": "Basic \(Self.token)"]),
            self.request("HEAD", "/", query: ["token": Self.token]),
            self.request(headers: ["authorization": "Bearer \(Self.token)x"]),
            self.request("GET", "/", query: ["token": "wrong"]),
            self.request("GET", "/", query: ["token": ""]),
        ] {
            let response = try #require(self.answer(access.decide(request, secure: false)))
            #expect(response.status == 401)
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(body.hasPrefix(#"{"error":"unauthorized","message":"open the dashboard with the URL"#))
            #expect(!body.contains(Self.token))
        }
        #expect(access.sessionCount == 0)
    }

    @Test func bearerNeedsNoCSRF() {
        let access = AdminAccess(token: Secret(Self.token))
        for method in ["GET", "POST", "DELETE"] {
            let request = self.request(method, "/replay", headers: ["authorization": "Bearer \(Self.token)"])
            #expect(self.answer(access.decide(request, secure: false)) == nil)
        }
        #expect(
            self.answer(access.decide(self.request(headers: ["authorization": "bearer \(Self.token)"]), secure: false))
                == nil
        )
    }

    @Test func exchangeSetsCookiesThatAuthenticate() throws {
        let access = AdminAccess(token: Secret(Self.token))
        let (session, _) = try self.exchange(access)
        #expect(access.sessionCount == 1)
        let cookie = "other=1; hookgate_session=\(session); hookgate_csrf=x"
        #expect(self.answer(access.decide(self.request(headers: ["cookie": cookie]), secure: false)) == nil)
        #expect(
            self.answer(access.decide(self.request("HEAD", "/", headers: ["cookie": cookie]), secure: false)) == nil
        )
        // Another authorization scheme is ignored: the cookie decides; a wrong Bearer token does not pass.
        #expect(
            self.answer(
                access.decide(self.request(headers: ["cookie": cookie, "authorization": "Basic eA=="]), secure: false)
            )
                == nil
        )
        #expect(
            self.answer(
                access.decide(
                    self.request(headers: ["cookie": cookie, "authorization": "Bearer wrong"]),
                    secure: false
                )
            )?.status == 401
        )
        // The serve listener's token is not single-use: it opens further sessions.
        _ = try self.exchange(access, secure: true)
        #expect(access.sessionCount == 2)
        // A POST to / with ?token= is no exchange.
        #expect(
            self.answer(access.decide(self.request("POST", "/", query: ["token": Self.token]), secure: false))?.status
                == 401
        )
    }

    @Test func stateChangesNeedCSRFAndTheSameOrigin() throws {
        let access = AdminAccess(token: Secret(Self.token))
        let (session, csrf) = try self.exchange(access)
        let cookie = "hookgate_session=\(session)"
        let origin = ["host": "127.0.0.1:9090", "origin": "http://127.0.0.1:9090"]
        func decide(_ headers: [String: String], secure: Bool = false) -> AdminAccess.Decision {
            access.decide(self.request("POST", "/replay", headers: headers), secure: secure)
        }
        #expect(self.answer(decide(origin.merging(["cookie": cookie, "x-csrf-token": csrf]) { $1 })) == nil)
        #expect(
            self.answer(decide(["cookie": cookie, "x-csrf-token": csrf, "sec-fetch-site": "same-origin"])) == nil
        )
        let rejected: [[String: String]] = [
            origin.merging(["cookie": cookie]) { $1 },
            origin.merging(["cookie": cookie, "x-csrf-token": csrf + "0"]) { $1 },
            origin.merging(["cookie": cookie, "x-csrf-token": session]) { $1 },
            ["cookie": cookie, "x-csrf-token": csrf],
            ["cookie": cookie, "x-csrf-token": csrf, "sec-fetch-site": "cross-site"],
            ["cookie": cookie, "x-csrf-token": csrf, "host": "127.0.0.1:9090", "origin": "http://evil.example"],
            ["cookie": cookie, "x-csrf-token": csrf, "host": "127.0.0.1:9090", "origin": "null"],
            // An Origin that disagrees wins over sec-fetch-site.
            [
                "cookie": cookie, "x-csrf-token": csrf, "host": "127.0.0.1:9090", "origin": "http://evil.example",
                "sec-fetch-site": "same-origin",
            ],
        ]
        for headers in rejected {
            let response = self.answer(decide(headers))
            #expect(response?.status == 403, "\(headers)")
            #expect(self.errorCode(decide(headers)) == "csrf_rejected")
        }
        // Over TLS the origin is https.
        #expect(
            self.answer(decide(origin.merging(["cookie": cookie, "x-csrf-token": csrf]) { $1 }, secure: true))?.status
                == 403
        )
        #expect(
            self.answer(
                decide(
                    [
                        "cookie": cookie, "x-csrf-token": csrf, "host": "127.0.0.1:9090",
                        "origin": "https://127.0.0.1:9090",
                    ],
                    secure: true
                )
            ) == nil
        )
        // Without a session the answer is 401, not 403.
        #expect(self.answer(decide(origin.merging(["x-csrf-token": csrf]) { $1 }))?.status == 401)
    }

    @Test func singleUseTokenWorksOnce() throws {
        let access = AdminAccess(token: Secret(Self.token), singleUseToken: true)
        let (session, _) = try self.exchange(access)
        let again = access.decide(self.request("GET", "/", query: ["token": Self.token]), secure: false)
        #expect(self.answer(again)?.status == 401)
        #expect(
            self.answer(access.decide(self.request(headers: ["authorization": "Bearer \(Self.token)"]), secure: false))?
                .status == 401
        )
        #expect(
            self.answer(access.decide(self.request(headers: ["cookie": "hookgate_session=\(session)"]), secure: false))
                == nil
        )
        // The URL opened again in the browser that has the session: on to the page, no new session.
        let reopened = self.answer(
            access.decide(
                self.request(
                    "GET",
                    "/",
                    query: ["token": Self.token],
                    headers: ["cookie": "hookgate_session=\(session)"]
                ),
                secure: false
            )
        )
        #expect(reopened?.status == 303)
        #expect(reopened?.headers.contains { $0.name == "set-cookie" } == false)
        #expect(access.sessionCount == 1)
    }

    @Test func sessionsAreBoundedAndExpire() throws {
        let clock = ManualClock()
        let access = AdminAccess(
            token: Secret(Self.token),
            maximumSessions: 3,
            sessionLifetime: .hours(1),
            now: { clock.now }
        )
        var sessions: [String] = []
        for _ in 0..<4 { sessions.append(try self.exchange(access).session) }
        #expect(access.sessionCount == 3)
        func status(_ session: String) -> Int? {
            self.answer(access.decide(self.request(headers: ["cookie": "hookgate_session=\(session)"]), secure: false))?
                .status
        }
        #expect(status(sessions[0]) == 401)
        #expect(sessions[1...].allSatisfy { status($0) == nil })
        clock.advance(by: .minutes(59))
        #expect(status(sessions[3]) == nil)
        clock.advance(by: .minutes(1))
        #expect(status(sessions[3]) == 401)
        _ = try self.exchange(access)
        #expect(access.sessionCount == 1)
    }
}
