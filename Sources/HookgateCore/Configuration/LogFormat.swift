/// How log lines are written.
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// One human-readable line per entry (the default).
    case text
    /// One JSON object per line, for log shippers.
    case json
}
