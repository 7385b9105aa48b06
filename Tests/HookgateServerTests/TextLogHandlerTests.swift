import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import HookgateServer

struct TextLogHandlerTests {
    /// What swift-log's `StreamLogHandler` writes, captured.
    private final class CapturedStream: TextOutputStream, Sendable {
        let text = NIOLockedValueBox("")
        func write(_ string: String) { self.text.withLockedValue { $0 += string } }
    }

    /// A line is exactly the line swift-log's `StreamLogHandler` writes for the same event, after the time.
    @Test(arguments: [
        Logger.Metadata(),
        [LogKey.endpoint: "stripe", LogKey.outcome: "ok", "a": .array(["x", "y"]), "n": .dictionary(["k": "v"])],
    ])
    func matchesStreamLogHandler(metadata: Logger.Metadata) throws {
        let stream = CapturedStream()
        var reference = StreamLogHandler(label: "hookgate.ingress", stream: stream, metadataProvider: nil)
        reference.logLevel = .trace
        let event = LogEvent(
            level: .info,
            message: "webhook request",
            metadata: metadata.isEmpty ? nil : metadata,
            source: "HookgateServer",
            file: #fileID,
            function: #function,
            line: #line
        )
        reference.log(event: event)
        let ours = TextLogHandler.line(
            time: "TIME",
            level: .info,
            label: "hookgate.ingress",
            metadata: metadata,
            source: "HookgateServer",
            message: "webhook request"
        )
        let theirs = stream.text.withLockedValue { $0 }
        let afterTime = try #require(theirs.firstIndex(of: " "))
        #expect("TIME" + theirs[afterTime...] == ours)
    }

    /// A logged line carries the handler's metadata and the event's, the event's winning on a shared key, and
    /// `warning` lines reach the file at once.
    @Test func logMergesHandlerAndEventMetadata() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        var handler = TextLogHandler(label: "hookgate.test", writer: LogLineWriter(fileDescriptor: ends[1]))
        handler[metadataKey: "replica"] = "r1"
        handler[metadataKey: "shared"] = "handler"
        handler.log(
            event: LogEvent(
                level: .warning,
                message: "store append failed",
                metadata: ["shared": "event", "error.type": "storeUnavailable"],
                source: "HookgateServer",
                file: #fileID,
                function: #function,
                line: #line
            )
        )
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(ends[0], &buffer, buffer.count)
        let line = String(decoding: buffer[..<max(0, count)], as: UTF8.self)
        let expected =
            " warning hookgate.test: error.type=storeUnavailable replica=r1 shared=event"
            + " [HookgateServer] store append failed\n"
        #expect(line.hasSuffix(expected), "\(line)")
    }

    /// The local time is written as `StreamLogHandler` writes it: `YYYY-MM-DDTHH:MM:SS±hhmm`.
    @Test func localTimeHasStreamLogHandlersShape() {
        let time = LogTimestamp.localNow()
        #expect(time.utf8.count == 24)
        #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}/) != nil)
    }

    /// JSON lines carry UTC with milliseconds, also before 1970 and on the second.
    @Test(arguments: [
        (1_764_000_000.0, "2025-11-24T16:00:00.000Z"),
        (1_764_000_000.5, "2025-11-24T16:00:00.500Z"),
        (1_764_000_001.042, "2025-11-24T16:00:01.042Z"),
        (-0.25, "1969-12-31T23:59:59.750Z"),
    ])
    func iso8601WithMilliseconds(seconds: Double, expected: String) {
        #expect(LogTimestamp.iso8601(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
