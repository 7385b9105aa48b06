public import HookgateCore
import NIOConcurrencyHelpers
public import NIOCore
import NIOHTTP1

/// The gate of a browser-facing admin listener (`admin.http_listen`, and `hookgate dashboard`'s proxy); the
/// admin Unix socket has none (its file mode guards it).
///
/// - `GET /?token=<token>` with the right token begins a session: `303` to `/` with two cookies,
///   `hookgate_session` (a random id, `HttpOnly`, `SameSite=Strict`; never the token) and `hookgate_csrf`
///   (a random value the page echoes in `x-csrf-token`). A wrong (or, when single-use, spent) token gets 401,
///   or, with a live session's cookie, the redirect alone.
/// - Any other request needs `Authorization: Bearer <token>` or a live session's cookie, else 401.
/// - A request that may change state (not `GET` or `HEAD`) authenticated by the cookie also needs
///   `x-csrf-token` equal to its session's value and an `Origin` equal to the listener's own (from `Host`),
///   or, without `Origin`, `sec-fetch-site: same-origin`; else 403. Bearer requests need neither.
///
/// Tokens and session ids are compared in constant time; no answer or log line holds the token.
public final class AdminAccess: Sendable {
    private struct State {
        var sessions: AdminAccessSessions
        var tokenSpent = false
    }

    private let token: Secret
    private let singleUseToken: Bool
    private let now: @Sendable () -> NIODeadline
    private let state: NIOLockedValueBox<State>

    /// Creates the gate.
    /// - Parameters:
    ///   - token: The access token.
    ///   - singleUseToken: Whether the token works once only (`hookgate dashboard`'s URL): after the first
    ///     exchange, only the session's cookie lets a browser in, and the token is refused, also as Bearer.
    ///   - maximumSessions: Sessions kept at most; a new one beyond it ends the oldest.
    ///   - sessionLifetime: How long a session lasts after it began.
    ///   - now: The clock sessions are timed by.
    public init(
        token: Secret,
        singleUseToken: Bool = false,
        maximumSessions: Int = 64,
        sessionLifetime: TimeAmount = .hours(12),
        now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        self.token = token
        self.singleUseToken = singleUseToken
        self.now = now
        self.state = NIOLockedValueBox(
            State(sessions: AdminAccessSessions(maximum: maximumSessions, lifetime: sessionLifetime))
        )
    }

    /// What to do with a request.
    public enum Decision: Sendable {
        /// Serve it.
        case allow
        /// Answer this instead (the token exchange's redirect, 401 or 403).
        case answer(AdminResponse)
    }

    /// Decides on `request`; `secure` says whether it came over TLS (the cookies then carry `Secure`).
    public func decide(_ request: AdminRequest, secure: Bool) -> Decision {
        let isSafeMethod = request.method == "GET" || request.method == "HEAD"
        // Only GET: a HEAD (a link preview, a prefetch) must not spend a single-use token.
        if request.path == "/", request.method == "GET", let offered = request.query["token"] {
            if let decision = self.exchange(offered, secure: secure) { return decision }
            // A spent (or wrong) token with a live session, e.g. the URL opened again: on to the page.
            guard self.session(of: request) != nil else { return .answer(Self.unauthorized) }
            return .answer(Self.redirect(cookies: []))
        }
        if let offered = Self.bearerToken(request.headers["authorization"]) {
            return self.bearerIsValid(offered) ? .allow : .answer(Self.unauthorized)
        }
        guard let session = self.session(of: request) else { return .answer(Self.unauthorized) }
        if isSafeMethod { return .allow }
        let csrf = request.headers[AdminAccessCookies.csrfHeader] ?? ""
        guard AdminAccessToken.constantTimeEquals(session.csrf, csrf), Self.isSameOrigin(request, secure: secure)
        else { return .answer(Self.csrfRejected) }
        return .allow
    }

    /// The number of live sessions (for tests and diagnostics).
    public var sessionCount: Int { self.state.withLockedValue { $0.sessions.count } }

    /// The live session whose id the request's `hookgate_session` cookie holds.
    private func session(of request: AdminRequest) -> AdminAccessSessions.Session? {
        let now = self.now()
        guard let id = AdminAccessCookies.value(named: AdminAccessCookies.session, in: request.headers["cookie"])
        else { return nil }
        return self.state.withLockedValue { $0.sessions.session(id: id, at: now) }
    }

    /// `?token=`: the right, unspent token begins a session (a redirect setting its cookies); nil otherwise.
    private func exchange(_ offered: String, secure: Bool) -> Decision? {
        let now = self.now()
        let session: AdminAccessSessions.Session? = self.state.withLockedValue { state in
            guard AdminAccessToken.constantTimeEquals(self.token.value, offered), !state.tokenSpent else {
                return nil
            }
            if self.singleUseToken { state.tokenSpent = true }
            return state.sessions.begin(at: now)
        }
        guard let session else { return nil }
        return .answer(Self.redirect(cookies: AdminAccessCookies.setCookies(for: session, secure: secure)))
    }

    /// `303 See Other` to `/`, setting `cookies`.
    private static func redirect(cookies: [String]) -> AdminResponse {
        AdminResponse(
            status: 303,
            contentType: "text/plain; charset=utf-8",
            body: [],
            headers: [(name: "location", value: "/")] + cookies.map { (name: "set-cookie", value: $0) }
        )
    }

    /// The token of an `Authorization: Bearer <token>` field; nil without one (another scheme is ignored).
    private static func bearerToken(_ authorization: String?) -> String? {
        guard let parts = authorization?.split(separator: " ", maxSplits: 1), parts.count == 2,
            parts[0].lowercased() == "bearer"
        else { return nil }
        return String(parts[1])
    }

    /// Whether `offered` is the right, unspent token.
    private func bearerIsValid(_ offered: String) -> Bool {
        let matches = AdminAccessToken.constantTimeEquals(self.token.value, offered)
        return matches && !self.state.withLockedValue { $0.tokenSpent }
    }

    /// `Origin` equal to `scheme://<Host>`, or no `Origin` and `sec-fetch-site: same-origin`.
    private static func isSameOrigin(_ request: AdminRequest, secure: Bool) -> Bool {
        if let origin = request.headers["origin"] {
            guard let host = request.headers["host"], !host.isEmpty else { return false }
            return origin.lowercased() == "\(secure ? "https" : "http")://\(host.lowercased())"
        }
        return request.headers["sec-fetch-site"]?.lowercased() == "same-origin"
    }

    static let unauthorized = AdminResponse(
        status: 401,
        body: Array(
            ErrorResponse(
                code: "unauthorized",
                status: .unauthorized,
                message: "open the dashboard with the URL that hookgate serve or hookgate dashboard printed "
                    + "(/?token=...; hookgate dashboard's URL works once), or send Authorization: Bearer <token>"
            ).body.utf8
        ),
        headers: [(name: "www-authenticate", value: "Bearer")]
    )

    static let csrfRejected = AdminResponse(
        status: 403,
        body: Array(
            ErrorResponse(
                code: "csrf_rejected",
                status: .forbidden,
                message: "a request that changes state needs the x-csrf-token header (the hookgate_csrf cookie's "
                    + "value) and must come from the dashboard's own origin"
            ).body.utf8
        )
    )
}
