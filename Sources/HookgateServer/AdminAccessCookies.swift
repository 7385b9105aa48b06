/// The cookies of the admin HTTP listener's sessions: how they are set and read.
enum AdminAccessCookies {
    /// The session id's cookie (`HttpOnly`: no script reads it).
    static let session = "hookgate_session"
    /// The CSRF value's cookie (readable by the page's script, which echoes it in `x-csrf-token`).
    static let csrf = "hookgate_csrf"
    /// The header a state-changing request carries the CSRF value in.
    static let csrfHeader = "x-csrf-token"

    /// The two `set-cookie` values that begin `session`; `; Secure` over TLS.
    static func setCookies(for session: AdminAccessSessions.Session, secure: Bool) -> [String] {
        let suffix = secure ? "; Secure" : ""
        return [
            "\(Self.session)=\(session.id); Path=/; HttpOnly; SameSite=Strict\(suffix)",
            "\(Self.csrf)=\(session.csrf); Path=/; SameSite=Strict\(suffix)",
        ]
    }

    /// The value of cookie `name` in a `cookie` header (several headers joined by `, ` are read too); the
    /// first one wins.
    static func value(named name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].trimmingSpaces == name else { continue }
            return String(parts[1].trimmingSpaces)
        }
        return nil
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
