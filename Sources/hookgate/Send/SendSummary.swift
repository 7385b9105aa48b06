/// The figures of a `hookgate send` run: counts by outcome, throughput and latency percentiles.
struct SendSummary {
    let results: [SendResult]
    let elapsed: Duration
    let concurrency: Int

    /// Whether every event was answered 2xx.
    var allSucceeded: Bool { self.results.allSatisfy(\.succeeded) }

    /// Three lines, e.g.
    /// `sent 200 in 0.41 s (487.8 events/s), concurrency 8`,
    /// `2xx 198, non-2xx 2 (503: 2), errors 0`,
    /// `latency p50 3.10 ms, p99 12.40 ms`;
    /// then one line per distinct error: `error ×3: ...`. Only answered events count as sent: when some got
    /// no answer the first line says `sent 197 of 200 in ...`, and `sent 0 of 1 in ...` when none did.
    var lines: [String] {
        let seconds = Self.seconds(self.elapsed)
        let answered = self.results.compactMap(\.status)
        let rate = seconds > 0 ? Double(answered.count) / seconds : 0
        let failures = Dictionary(grouping: answered.filter { !(200..<300).contains($0) }) { $0 }
            .map { (status: $0.key, count: $0.value.count) }.sorted { $0.status < $1.status }
        let errors = self.results.filter { $0.status == nil }
        var nonSuccess = "non-2xx \(failures.map(\.count).reduce(0, +))"
        if !failures.isEmpty {
            nonSuccess += " (" + failures.map { "\($0.status): \($0.count)" }.joined(separator: ", ") + ")"
        }
        let sent = errors.isEmpty ? "\(answered.count)" : "\(answered.count) of \(self.results.count)"
        var lines = [
            "sent \(sent) in \(Self.fixed(seconds, 2)) s (\(Self.fixed(rate, 1)) events/s), concurrency \(self.concurrency)",
            "2xx \(answered.count - failures.map(\.count).reduce(0, +)), \(nonSuccess), errors \(errors.count)",
        ]
        let latencies = self.results.filter { $0.status != nil }.map { Self.seconds($0.latency) * 1_000 }.sorted()
        if !latencies.isEmpty {
            lines.append(
                "latency p50 \(Self.fixed(Self.percentile(latencies, 0.50), 2)) ms, "
                    + "p99 \(Self.fixed(Self.percentile(latencies, 0.99), 2)) ms"
            )
        }
        for (message, group) in Dictionary(grouping: errors, by: \.message).sorted(by: { $0.key < $1.key }) {
            lines.append("error ×\(group.count): \(message)")
        }
        return lines
    }

    /// The nearest-rank percentile of sorted `values`.
    private static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let rank = Int((fraction * Double(values.count)).rounded(.up))
        return values[min(max(rank, 1), values.count) - 1]
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        let scale = [1.0, 10, 100, 1_000][digits]
        let scaled = Int64((value * scale).rounded())
        let whole = String(scaled / Int64(scale))
        guard digits > 0 else { return whole }
        let fraction = String(scaled % Int64(scale))
        return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
