import Foundation
import HookgateCore
public import Logging

/// A swift-log `LogHandler` that writes one JSON object per line, for log shippers
/// (`HOOKGATE_LOG_FORMAT=json`):
///
/// ```json
/// {"time":"2026-11-26T07:40:00.123Z","level":"info","label":"hookgate.ingress","message":"webhook request","hookgate.endpoint":"stripe",...}
/// ```
///
/// Metadata keys become top-level members (nested metadata is rendered as JSON). Lines go through a
/// ``LogLineWriter``, which writes whole lines only, so lines from several threads never interleave.
///
/// Bootstrap it once in the executable: `LoggingSystem.bootstrap { JSONLogHandler(label: $0) }`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let writer: LogLineWriter

    /// Creates a handler.
    /// - Parameters:
    ///   - label: The logger's label, written as `label`.
    ///   - writer: Where lines go; standard output by default.
    ///   - metadataProvider: Adds metadata to every line.
    public init(
        label: String,
        writer: LogLineWriter = .standardOutput,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.writer = writer
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = Self.line(
            time: Date(),
            level: event.level,
            label: self.label,
            message: event.message.description,
            metadata: self.mergedMetadata(event.metadata)
        )
        line.append("\n")
        self.writer.write(line, immediately: event.level >= .warning)
    }

    private func mergedMetadata(_ event: Logger.Metadata?) -> Logger.Metadata {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let event { merged.merge(event) { $1 } }
        return merged
    }

    /// One log line as a JSON object, without the newline.
    static func line(
        time: Date,
        level: Logger.Level,
        label: String,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        var line = #"{"time":""#
        line += LogTimestamp.iso8601(time)
        line += #"","level":""#
        line += level.rawValue
        line += #"","label":""#
        line += JSONString.escaped(label)
        line += #"","message":""#
        line += JSONString.escaped(message)
        line += "\""
        for key in metadata.keys.sorted() where !["time", "level", "label", "message"].contains(key) {
            line += ",\""
            line += JSONString.escaped(key)
            line += "\":"
            Self.append(metadata[key]!, to: &line)
        }
        line += "}"
        return line
    }

    private static func append(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let string):
            line += "\"" + JSONString.escaped(string) + "\""
        case .stringConvertible(let convertible):
            line += "\"" + JSONString.escaped(convertible.description) + "\""
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                Self.append(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                line += "\"" + JSONString.escaped(key) + "\":"
                Self.append(dictionary[key]!, to: &line)
            }
            line += "}"
        }
    }
}
