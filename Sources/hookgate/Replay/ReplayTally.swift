import HookgateStore

/// The outcome of re-queueing a selection: what was re-queued, what a worker held, what was not found.
struct ReplayTally {
    /// The deliveries re-queued, in order.
    var requeued: [DeliveryID] = []
    /// Deliveries a worker held under an unexpired lease, with nothing changed.
    var busy: [DeliveryID] = []
    /// References and deliveries that no longer exist.
    var notFound: [String] = []
    /// Deliveries whose re-queue failed in the store, with the reason.
    var failed: [(id: DeliveryID, reason: String)] = []

    /// Whether every selected delivery was re-queued.
    var allSucceeded: Bool { self.busy.isEmpty && self.notFound.isEmpty && self.failed.isEmpty }

    /// Records the outcome of re-queueing `id`.
    mutating func record(_ id: DeliveryID, _ result: Result<Void, StoreError>) {
        switch result {
        case .success: self.requeued.append(id)
        case .failure(let error) where error.code == .deliveryBusy: self.busy.append(id)
        case .failure(let error) where error.code == .deliveryNotFound: self.notFound.append(id.description)
        case .failure(let error): self.failed.append((id, error.description))
        }
    }

    /// `re-queued N, busy M, not found K, failed F`, then a line per delivery that was not re-queued.
    var lines: [String] {
        var lines = [
            "re-queued \(self.requeued.count), busy \(self.busy.count), not found \(self.notFound.count), failed \(self.failed.count)"
        ]
        if !self.busy.isEmpty {
            lines.append(
                "busy (delivery_busy: a worker holds it; replay it again later): "
                    + self.list(self.busy.map(\.description))
            )
        }
        if !self.notFound.isEmpty { lines.append("not found: " + self.list(self.notFound)) }
        for failure in self.failed { lines.append("delivery \(failure.id) failed: \(failure.reason)") }
        return lines
    }

    /// The first items, then how many more.
    private func list(_ items: [String]) -> String {
        let shown = items.prefix(20).joined(separator: ", ")
        return items.count > 20 ? shown + " and \(items.count - 20) more" : shown
    }
}
