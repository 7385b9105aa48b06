import HookgateCore

/// One page of Stripe's list object of events: `{"object": "list", "data": [...], "has_more": ...}`.
struct StripeEventPage: Sendable {
    /// Its events, newest first.
    var events: [ListedEvent]
    /// Whether events follow the last one (`starting_after` its id).
    var hasMore: Bool

    /// The page in `answer`.
    /// - Throws: ``ReconcileFailure/invalidAnswer(_:)`` when it is not a list of events.
    init(_ answer: JSONValue) throws(ReconcileFailure) {
        guard case .array(let data)? = answer["data"] else {
            throw .invalidAnswer("GET /v1/events answered without a data array")
        }
        var events: [ListedEvent] = []
        events.reserveCapacity(data.count)
        for value in data {
            guard let event = ListedEvent(value) else {
                throw .invalidAnswer("GET /v1/events listed something that is not an event (id, type, created)")
            }
            events.append(event)
        }
        self.events = events
        if case .bool(let hasMore)? = answer["has_more"] { self.hasMore = hasMore } else { self.hasMore = false }
    }
}
