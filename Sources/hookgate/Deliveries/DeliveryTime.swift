import Foundation
import HookgateCore

/// Instants as the `deliveries` commands print them: RFC 3339 in UTC.
enum DeliveryTime {
    /// Whole seconds, e.g. `2026-11-26T09:30:25Z` (tables).
    static func seconds(_ date: Date) -> String {
        UnixTime.rfc3339(Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// With milliseconds, e.g. `2026-11-26T09:30:25.123Z` (JSON and details).
    static func milliseconds(_ date: Date) -> String {
        UnixTime.rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
