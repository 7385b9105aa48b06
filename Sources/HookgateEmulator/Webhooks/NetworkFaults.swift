/// How the emulator's webhooks misbehave, like the real network and Stripe's at-least-once delivery do.
public struct NetworkFaults: Sendable, Hashable {
    /// The share (0–1) of events sent twice.
    public var duplicate: Double
    /// Whether the events one request made are sent in a shuffled order.
    public var reorder: Bool
    /// Each delivery waits a random time up to this many milliseconds first (which also reorders them).
    public var delayMilliseconds: Int
    /// The share (0–1) of events never delivered (they stay `delivery_success=false` in the Events API).
    public var drop: Double
    /// The seed of the choices; the same seed and the same requests make the same choices.
    public var seed: UInt64

    /// The longest `delayMilliseconds`.
    public static let maximumDelayMilliseconds = 600_000

    public init(
        duplicate: Double = 0,
        reorder: Bool = false,
        delayMilliseconds: Int = 0,
        drop: Double = 0,
        seed: UInt64
    ) {
        self.duplicate = duplicate
        self.reorder = reorder
        self.delayMilliseconds = delayMilliseconds
        self.drop = drop
        self.seed = seed
    }

    /// One send of an event: which copy, after how long.
    public struct Send: Sendable, Hashable {
        public let eventID: String
        /// 1, or 2 for the duplicate.
        public let copy: Int
        public let delayMilliseconds: Int
    }

    /// The sends of one request's events, in sending order, and the events dropped.
    public func plan(_ eventIDs: [String], using random: inout SeededGenerator) -> (sends: [Send], dropped: [String]) {
        var sends: [Send] = []
        var dropped: [String] = []
        for id in eventIDs {
            if self.drop > 0, random.unitInterval() < self.drop {
                dropped.append(id)
                continue
            }
            let copies = self.duplicate > 0 && random.unitInterval() < self.duplicate ? 2 : 1
            for copy in 1...copies {
                let delay =
                    self.delayMilliseconds > 0 ? Int(random.next() % UInt64(self.delayMilliseconds + 1)) : 0
                sends.append(Send(eventID: id, copy: copy, delayMilliseconds: delay))
            }
        }
        if self.reorder { Self.shuffle(&sends, using: &random) }
        return (sends, dropped)
    }

    /// Fisher–Yates with the generator's own numbers, so that a seed gives the same order whatever the
    /// standard library's shuffle does.
    private static func shuffle(_ sends: inout [Send], using random: inout SeededGenerator) {
        guard sends.count > 1 else { return }
        for index in stride(from: sends.count - 1, to: 0, by: -1) {
            sends.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
    }
}
