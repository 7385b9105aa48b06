import HookgateCore

/// The POST requests the emulator answered since it started, newest kept: what a test reads to prove that a
/// retried command reached the API twice and charged once (`GET /_emulator/requests`). Bounded to
/// ``capacity`` entries; not written to the state file.
struct RequestLog: Sendable {
    /// The most requests kept.
    static let capacity = 10_000

    /// One request and how it was answered.
    struct Entry: Sendable {
        let id: String
        let created: Int64
        let method: String
        let path: String
        let idempotencyKey: String?
        let status: Int
        /// Answered with a saved answer (`Idempotent-Replayed: true`).
        let replayed: Bool

        var json: JSONValue {
            .members([
                "id": .string(self.id),
                "object": .string("emulator_request"),
                "created": .integer(self.created),
                "method": .string(self.method),
                "path": .string(self.path),
                "idempotency_key": .optional(self.idempotencyKey),
                "status": .integer(Int64(self.status)),
                "idempotent_replayed": .bool(self.replayed),
            ])
        }
    }

    private(set) var entries: [Entry] = []

    mutating func append(_ entry: Entry) {
        if self.entries.count >= Self.capacity { self.entries.removeFirst(self.entries.count - Self.capacity + 1) }
        self.entries.append(entry)
    }
}

extension Ledger {
    /// `GET /_emulator/requests`: the POSTs answered since start, newest first, optionally those with one
    /// `idempotency_key` or `path`; paged as Stripe's lists.
    func listRequests(_ parameters: FormParameters) throws(StripeAPIError) -> JSONValue {
        try parameters.requireOnly(["idempotency_key", "path", "limit", "starting_after", "ending_before"])
        let key = parameters.value("idempotency_key")
        let path = parameters.value("path")
        let matching = self.requests.entries.reversed().filter { entry in
            (key.map { $0 == entry.idempotencyKey } ?? true) && (path.map { $0 == entry.path } ?? true)
        }
        let byID = Dictionary(matching.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try Self.page(matching.map(\.id), parameters: parameters, url: "/_emulator/requests", what: "request") {
            byID[$0]?.json
        }
    }
}
