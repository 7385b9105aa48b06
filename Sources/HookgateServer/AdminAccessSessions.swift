import NIOCore

/// The browser sessions of one admin HTTP listener: each a random id (the `hookgate_session` cookie) and a
/// random CSRF value (the `hookgate_csrf` cookie). At most `maximum` are kept (the oldest goes first), each
/// for `lifetime` after it began.
struct AdminAccessSessions {
    /// One session.
    struct Session {
        var id: String
        var csrf: String
        var started: NIODeadline
    }

    let maximum: Int
    let lifetime: TimeAmount
    private var sessions: [Session] = []

    init(maximum: Int, lifetime: TimeAmount) {
        precondition(maximum > 0, "at least one session")
        self.maximum = maximum
        self.lifetime = lifetime
    }

    /// The number of live sessions kept.
    var count: Int { self.sessions.count }

    /// Begins a session, dropping expired ones and, when full, the oldest.
    mutating func begin(at now: NIODeadline) -> Session {
        self.sessions.removeAll { now - $0.started >= self.lifetime }
        if self.sessions.count >= self.maximum { self.sessions.removeFirst(self.sessions.count - self.maximum + 1) }
        let session = Session(
            id: AdminAccessToken.randomHex(byteCount: 32),
            csrf: AdminAccessToken.randomHex(byteCount: 32),
            started: now
        )
        self.sessions.append(session)
        return session
    }

    /// The live session with this id; every kept id is compared, each in constant time.
    func session(id: String, at now: NIODeadline) -> Session? {
        var found: Session?
        for session in self.sessions where AdminAccessToken.constantTimeEquals(session.id, id) {
            found = session
        }
        guard let found, now - found.started < self.lifetime else { return nil }
        return found
    }
}
