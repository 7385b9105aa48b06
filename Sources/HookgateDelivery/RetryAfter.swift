import Foundation
import NIOConcurrencyHelpers

/// The `Retry-After` header of a 429 or 503: delay-seconds or an HTTP-date (RFC 9110, section 10.2.3).
enum RetryAfter {
    /// The longest wait honoured, so a bad header cannot park a delivery for years.
    static let maximum: Duration = .seconds(24 * 3600)

    /// When to try again, or nil when the value is neither form.
    static func retryAt(_ value: String, now: Date) -> Date? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            let seconds = min(Int64(trimmed) ?? Int64.max, maximum.components.seconds)
            return now.addingTimeInterval(TimeInterval(seconds))
        }
        guard let date = httpDateFormatter.withLockedValue({ $0.date(from: trimmed) }) else { return nil }
        return min(max(date, now), now.addingTimeInterval(TimeInterval(maximum.components.seconds)))
    }

    /// IMF-fixdate, e.g. `Wed, 21 Oct 2015 07:28:00 GMT`: one formatter, made once (making one costs more
    /// than parsing with it), used by one caller at a time.
    private static let httpDateFormatter: NIOLockedValueBox<DateFormatter> = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return NIOLockedValueBox(formatter)
    }()
}
