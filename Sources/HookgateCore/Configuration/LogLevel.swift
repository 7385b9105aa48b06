/// The lowest level logged. The names are swift-log's `Logger.Level` raw values.
public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}
