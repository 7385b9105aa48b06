import ArgumentParser
import Foundation
import HookgateCore

/// A point in time on the command line: RFC 3339 (`2026-11-26T09:00:00Z`) or a time ago (`90s`, `15m`,
/// `2h`, `3d`, `1w`).
struct TimeArgument: ExpressibleByArgument, Sendable, Hashable {
    private enum Value: Hashable {
        case absolute(unixSeconds: Int64)
        case ago(seconds: Int64)
    }

    private let value: Value

    init?(argument: String) {
        if let seconds = UnixTime.parseRFC3339(argument) {
            self.value = .absolute(unixSeconds: seconds)
            return
        }
        let units: [(suffix: String, seconds: Int64)] = [
            ("s", 1), ("m", 60), ("min", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800),
        ]
        for unit in units where argument.hasSuffix(unit.suffix) {
            if let amount = Int64(argument.dropLast(unit.suffix.count)), amount >= 0,
                amount <= Int64.max / unit.seconds
            {
                self.value = .ago(seconds: amount * unit.seconds)
                return
            }
        }
        return nil
    }

    /// The instant, with relative times counted back from `now`.
    func date(now: Date) -> Date {
        switch self.value {
        case .absolute(let seconds): Date(timeIntervalSince1970: Double(seconds))
        case .ago(let seconds): now.addingTimeInterval(-Double(seconds))
        }
    }
}
