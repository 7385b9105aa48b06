import Foundation
import NIOConcurrencyHelpers

/// The times written on log lines, formatted once per second rather than once per line: a log line's time is
/// the cached text of the current second (plus the milliseconds for JSON lines).
enum LogTimestamp {
    private struct Cached {
        var second: Int = -1
        var text = ""
    }

    private static let localSecond = NIOLockedValueBox(Cached())
    private static let utcSecond = NIOLockedValueBox(Cached())

    /// Now as swift-log's `StreamLogHandler` writes it: local time, `2026-12-04T17:40:00+0000`.
    static func localNow() -> String {
        var now = time(nil)
        return Self.localSecond.withLockedValue { cached in
            if cached.second != now {
                var parts = tm()
                localtime_r(&now, &parts)
                var buffer = [Int8](repeating: 0, count: 32)
                let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
                cached = Cached(second: now, text: String(decoding: buffer[..<length].map { UInt8($0) }, as: UTF8.self))
            }
            return cached.text
        }
    }

    /// `time` in UTC with milliseconds, `2026-12-04T17:40:00.123Z`.
    static func iso8601(_ time: Date) -> String {
        let milliseconds = Int((time.timeIntervalSince1970 * 1000).rounded(.down))
        let second = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (wholeSeconds, fraction) = second.remainder < 0 ? (second.quotient - 1, second.remainder + 1000) : second
        let prefix = Self.utcSecond.withLockedValue { cached in
            if cached.second != wholeSeconds {
                var seconds = time_t(wholeSeconds)
                var parts = tm()
                gmtime_r(&seconds, &parts)
                var buffer = [Int8](repeating: 0, count: 32)
                let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
                cached = Cached(
                    second: wholeSeconds,
                    text: String(decoding: buffer[..<length].map { UInt8($0) }, as: UTF8.self)
                )
            }
            return cached.text
        }
        let digits = String(fraction)
        return prefix + "." + String(repeating: "0", count: 3 - digits.utf8.count) + digits + "Z"
    }
}
