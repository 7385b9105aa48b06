import Foundation
import Glibc

/// A one-line progress bar on standard error when it is a terminal: done of total, a bar, the rate and the
/// time left. Redrawn at most ten times a second, and cleared at the end.
struct ReplayProgress {
    private let total: Int
    private let isShown: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?

    /// A progress bar for `total` deliveries, shown only when standard error is a terminal.
    init(total: Int) {
        self.total = total
        self.isShown = isatty(STDERR_FILENO) == 1
        self.start = self.clock.now
    }

    /// Shows that `done` deliveries were handled, of which `failed` were not replayed.
    mutating func update(done: Int, failed: Int) {
        guard self.isShown else { return }
        let now = self.clock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100), done < self.total { return }
        self.lastDrawn = now
        Self.draw("\r\u{1B}[2K" + Self.line(done: done, failed: failed, total: self.total, elapsed: now - self.start))
    }

    /// Clears the bar.
    func finish() {
        guard self.isShown else { return }
        Self.draw("\r\u{1B}[2K")
    }

    /// Writes `text` to standard error as is, without a newline.
    private static func draw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// E.g. `[##########----------] 500/1000 (failed 2) 250.0/s ETA 2 s`.
    private static func line(done: Int, failed: Int, total: Int, elapsed: Duration) -> String {
        let width = 20
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? "ETA \(Int((Double(total - done) / rate).rounded(.up))) s" : "ETA -"
        return "[\(bar)] \(done)/\(total) (failed \(failed)) \(String(format: "%.1f", rate))/s \(eta)"
    }
}
