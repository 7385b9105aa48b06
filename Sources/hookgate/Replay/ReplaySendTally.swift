import HookgateStore

/// The outcome of sending a selection now (`--to-socket`, `--to-url`): what was sent, delivered (2xx) and failed.
struct ReplaySendTally {
    var sent = 0
    var delivered = 0
    /// Deliveries not acknowledged, with why.
    var failed: [(id: DeliveryID, reason: String)] = []
    /// Deliveries sent as their stored body because they have no prepared messages.
    var sentRaw: [DeliveryID] = []
    /// References that matched no delivery.
    var notFound: [String] = []

    /// Whether every selected delivery was delivered.
    var allSucceeded: Bool { self.failed.isEmpty && self.notFound.isEmpty }

    /// Records how sending `id` ended: delivered, or failed for `error`.
    mutating func record(_ id: DeliveryID, error: String?) {
        self.sent += 1
        if let error { self.failed.append((id, error)) } else { self.delivered += 1 }
    }

    /// `sent N, delivered D, failed F`, then what was sent raw, not found, and why each failure failed.
    var lines: [String] {
        var lines = ["sent \(self.sent), delivered \(self.delivered), failed \(self.failed.count)"]
        if !self.sentRaw.isEmpty {
            lines.append(
                "sent as the stored body (not prepared by the gateway): \(self.sentRaw.map(\.description).joined(separator: ", "))"
            )
        }
        if !self.notFound.isEmpty { lines.append("not found: " + self.notFound.joined(separator: ", ")) }
        for failure in self.failed { lines.append("delivery \(failure.id) failed: \(failure.reason)") }
        return lines
    }
}
