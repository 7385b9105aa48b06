import HookgateCore
import HookgateServer
import Logging

/// Sets up swift-log for `serve`: text lines or one JSON object per line, on standard output, through
/// ``LogLineWriter/standardOutput`` (call ``flush()`` before exiting).
enum LoggingBootstrap {
    static func bootstrap(_ settings: LoggingSettings) {
        let level = Logger.Level(rawValue: settings.level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch settings.format {
                case .text: TextLogHandler(label: label)
                case .json: JSONLogHandler(label: label)
                }
            handler.logLevel = level
            return handler
        }
    }

    /// Writes the log lines still buffered.
    static func flush() {
        LogLineWriter.standardOutput.flush()
    }
}
