/// The answers saved under idempotency keys: the same key and parameters get the saved answer again, the same
/// key with other parameters an `idempotency_error`. Bounded: beyond ``capacity`` keys the oldest are forgotten
/// (Stripe forgets them after 24 hours).
struct IdempotencyLog: Sendable {
    /// The most keys kept.
    static let capacity = 100_000
    /// Stripe's longest idempotency key.
    static let maximumKeyLength = 255

    /// A saved answer and what it answered.
    struct Entry: Sendable, Codable {
        /// Method, path and canonical parameters of the first request.
        let fingerprint: String
        let response: APIResponse
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []
    private var oldest = 0

    func entry(_ key: String) -> Entry? {
        self.entries[key]
    }

    /// Saves `entry` under `key`; returns the key forgotten to make room, if any.
    @discardableResult
    mutating func save(_ key: String, _ entry: Entry) -> String? {
        if self.entries.updateValue(entry, forKey: key) == nil { self.order.append(key) }
        var forgotten: String?
        if self.order.count - self.oldest > Self.capacity {
            forgotten = self.order[self.oldest]
            self.entries[self.order[self.oldest]] = nil
            self.oldest += 1
        }
        if self.oldest > Self.capacity {
            self.order.removeFirst(self.oldest)
            self.oldest = 0
        }
        return forgotten
    }
}
