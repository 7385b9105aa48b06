import HookgateCore
public import Logging

/// A swift-log `LogHandler` that writes the lines of swift-log's `StreamLogHandler`, in the same format
/// (`2026-12-04T17:40:00+0000 info hookgate.ingress: hookgate.endpoint=stripe … [HookgateServer] webhook request`),
/// at a fraction of its cost: the time is formatted once per second, and lines go through a ``LogLineWriter``
/// instead of one `write(2)` each (`warning` and above are still written at once).
///
/// Bootstrap it once in the executable: `LoggingSystem.bootstrap { TextLogHandler(label: $0) }`.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let writer: LogLineWriter

    /// Creates a handler.
    /// - Parameters:
    ///   - label: The logger's label, written after the level.
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
        // A request's line usually carries only its own metadata: merged into the handler's only when it has some.
        var metadata = event.metadata ?? [:]
        if !self.metadata.isEmpty || self.metadataProvider != nil {
            var merged = self.metadata
            if let provided = self.metadataProvider?.get() { merged.merge(provided) { $1 } }
            merged.merge(metadata) { $1 }
            metadata = merged
        }
        if let error = event.error {
            metadata["error.message"] = "\(error)"
            metadata["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let line = Self.line(
            time: LogTimestamp.localNow(),
            level: event.level,
            label: self.label,
            metadata: metadata,
            source: event.source,
            message: event.message.description
        )
        self.writer.write(line, immediately: event.level >= .warning)
    }

    /// One line as `StreamLogHandler` writes it, with its newline.
    static func line(
        time: String,
        level: Logger.Level,
        label: String,
        metadata: Logger.Metadata,
        source: String,
        message: String
    ) -> String {
        var line = time
        line.reserveCapacity(256)
        line += " "
        line += level.rawValue
        if !label.isEmpty { line += " " }
        line += label
        line += ":"
        for key in metadata.keys.sorted() {
            line += " "
            line += DisplayText.escapingControls(key)
            line += "="
            line += DisplayText.escapingControls(metadata[key]!.description)
        }
        line += " ["
        line += source
        line += "] "
        line += DisplayText.escapingControls(message)
        line += "\n"
        return line
    }
}
