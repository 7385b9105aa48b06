/// How `hookgate serve` logs.
public struct LoggingSettings: Sendable, Hashable {
    /// Line format. Default: ``LogFormat/text``.
    public var format: LogFormat
    /// Lowest level logged. Default: ``LogLevel/info``.
    public var level: LogLevel

    public init(format: LogFormat = .text, level: LogLevel = .info) {
        self.format = format
        self.level = level
    }
}
