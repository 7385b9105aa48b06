import ArgumentParser
import Foundation

/// `--since` and `--until`: the window of receipt times that `hookgate deliveries` and `hookgate commands` filter
/// on, checked to be a window (since before until).
struct ReceivedTimeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Received at or after: RFC 3339 or a time ago (30m, 2h, 3d).", valueName: "TIME"))
    var since: TimeArgument?

    @Option(help: ArgumentHelp("Received before: RFC 3339 or a time ago (30m, 2h, 3d).", valueName: "TIME"))
    var until: TimeArgument?

    func validate() throws {
        let now = Date()
        if let since, let until, since.date(now: now) >= until.date(now: now) {
            throw ValidationError("--since must be before --until")
        }
    }

    /// The earliest receipt time these options allow, a relative one counted back from `now`; nil for no bound.
    func receivedFrom(now: Date) -> Date? {
        self.since?.date(now: now)
    }

    /// The receipt time these options allow only before, a relative one counted back from `now`; nil for no bound.
    func receivedBefore(now: Date) -> Date? {
        self.until?.date(now: now)
    }
}
