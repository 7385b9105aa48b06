import HookgateCore

/// Makes the events `hookgate send` posts: the template filled in with fresh ids and the current time,
/// `--set` applied, pretty-printed as Stripe sends them.
struct TestEventFactory: Sendable {
    /// One event, ready to sign.
    struct Event: Sendable {
        /// The event's top-level `id`.
        let id: String
        /// The exact bytes to sign and send.
        let body: [UInt8]
    }

    let template: EventTemplate
    let livemode: Bool
    /// Ids kept the same in every event, by placeholder name (`pi` for `--payment-id`).
    let fixedIDs: [String: String]
    let assignments: [JSONFieldAssignment]

    /// A new event created at `created` (Unix seconds).
    /// - Throws: ``UsageError`` when a `--set` path does not fit the event.
    func make(created: Int64) throws(UsageError) -> Event {
        let text = self.template.render(created: created, livemode: self.livemode, ids: self.fixedIDs)
        guard var document = try? JSONValueParser.parse(text) else {
            preconditionFailure("the embedded template of \(self.template.type) is not JSON")
        }
        for assignment in self.assignments {
            document = try assignment.apply(to: document)
        }
        let id: String
        if case .string(let value) = document["id"] { id = value } else { id = "(no id)" }
        return Event(id: id, body: Array((document.serialized(indent: 2) + "\n").utf8))
    }
}
