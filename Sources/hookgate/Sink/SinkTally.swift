import NIOConcurrencyHelpers

/// The sink's running count of requests, shared by every connection: numbers requests in arrival order and
/// counts the answers for the exit summary.
final class SinkTally: Sendable {
    private struct Counts {
        var received = 0
        var answered: [Int: Int] = [:]
    }

    private let counts = NIOLockedValueBox(Counts())

    /// Counts a new request and returns its number, from 1.
    func nextRequestNumber() -> Int {
        self.counts.withLockedValue { counts in
            counts.received += 1
            return counts.received
        }
    }

    /// Records the status a request was answered with.
    func recordAnswer(status: Int) {
        self.counts.withLockedValue { $0.answered[status, default: 0] += 1 }
    }

    /// `received 3, answered 2xx 1, failed 2 (500: 2)`.
    var summary: String {
        self.counts.withLockedValue { counts in
            let succeeded = counts.answered.filter { (200..<300).contains($0.key) }.values.reduce(0, +)
            let failures = counts.answered.filter { !(200..<300).contains($0.key) }.sorted { $0.key < $1.key }
            let failed = failures.map(\.value).reduce(0, +)
            var text = "received \(counts.received), answered 2xx \(succeeded), failed \(failed)"
            if !failures.isEmpty {
                text += " (" + failures.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
            }
            return text
        }
    }
}
