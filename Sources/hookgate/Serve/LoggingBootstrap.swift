import HookgateCore
import HookgateServer
import Logging

/// Sets up swift-log for `serve`: text lines or one JSON object per line, on standard output.
enum LoggingBootstrap {
    static func bootstrap(_ settings: LoggingSettings) {
        let level = Logger.Level(rawValue: settings.level.rawValue) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch settings.format {
                case .text: StreamLogHandler.standardOutput(label: label)
                case .json: JSONLogHandler(label: label)
                }
            handler.logLevel = level
            return handler
        }
    }
}
