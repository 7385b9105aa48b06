import HookgateStore

/// `--wait`: watches re-queued deliveries until the gateway has finished each again, delivered or not.
struct ReplayWaiter {
    /// How the re-queued deliveries ended.
    struct Outcome {
        var delivered = 0
        /// Dead or skipped again, with the last error.
        var failed: [(id: DeliveryID, reason: String)] = []
        /// Still pending or delivering when the wait ended (or purged meanwhile).
        var unfinished: [DeliveryID] = []

        /// `delivered D, failed F, unfinished U`, then a line per failure.
        var lines: [String] {
            ["delivered \(self.delivered), failed \(self.failed.count), unfinished \(self.unfinished.count)"]
                + self.failed.map { "delivery \($0.id) \($0.reason)" }
        }
    }

    let reader: any DeliveryReader
    /// How long to wait for all of them.
    let timeout: Duration

    /// Polls the store every 200 ms until every delivery of `ids` is in a final state, or the timeout passes.
    func wait(for ids: [DeliveryID]) async throws(StoreError) -> Outcome {
        let deadline = ContinuousClock.now + self.timeout
        var outcome = Outcome()
        var remaining = ids
        while !remaining.isEmpty {
            var stillRunning: [DeliveryID] = []
            for id in remaining {
                guard let record = try await self.reader.inspection(of: id)?.detail.record else { continue }
                switch record.state {
                case .delivered: outcome.delivered += 1
                case .dead, .skipped:
                    outcome.failed.append(
                        (id, "\(record.state.rawValue): \(record.lastError ?? record.skipReason ?? "")")
                    )
                case .pending, .delivering: stillRunning.append(id)
                }
            }
            remaining = stillRunning
            guard !remaining.isEmpty, ContinuousClock.now < deadline else { break }
            try? await Task.sleep(for: .milliseconds(200))
        }
        outcome.unfinished = remaining
        return outcome
    }
}
