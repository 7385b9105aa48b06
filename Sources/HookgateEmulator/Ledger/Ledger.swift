import HookgateCore

/// Everything the emulator knows: payment objects, events and idempotency keys. A value type, mutated
/// under one lock by ``StripeAPI``; each operation validates everything before it changes anything.
struct Ledger: Sendable {
    /// What one API request runs with.
    struct Context: Sendable {
        let requestID: String
        let idempotencyKey: String?
        /// Unix milliseconds.
        let now: Int64
        /// Whether events get a webhook (a `--forward-to` is set): they start `pending`, else `none`.
        let forwards: Bool

        var seconds: Int64 { self.now / 1000 }
    }

    let ids = StripeIDs()
    var paymentIntents: [String: PaymentIntentRecord] = [:]
    var charges: [String: ChargeRecord] = [:]
    var refunds: [String: RefundRecord] = [:]
    /// Payment method ids made from a test payment method (`pm_card_visa` → `pm_1…`) and what they stand for.
    var paymentMethods: [String: TestPaymentMethod] = [:]
    /// Every event, oldest first.
    var events: [EventRecord] = []
    /// Index in ``events`` by event id and by thin event id.
    var eventIndex: [String: Int] = [:]
    /// Answers saved under idempotency keys.
    var idempotency = IdempotencyLog()
    /// The events the current request made, for the webhook dispatcher.
    var newEvents: [String] = []

    /// Records an event about `object` (a snapshot of it now).
    mutating func record(
        _ type: String,
        object: JSONValue,
        related: (id: String, type: String, url: String),
        context: Context
    ) {
        let event = EventRecord(
            id: self.ids.make("evt"),
            thinID: self.ids.thinEvent(),
            type: type,
            created: context.seconds,
            createdMilliseconds: context.now,
            object: object,
            relatedObject: related,
            requestID: context.requestID,
            idempotencyKey: context.idempotencyKey,
            delivery: context.forwards ? .pending : .none
        )
        self.eventIndex[event.id] = self.events.count
        self.eventIndex[event.thinID] = self.events.count
        self.events.append(event)
        self.newEvents.append(event.id)
    }

    /// The event with this id or thin id.
    func event(_ id: String) -> EventRecord? {
        self.eventIndex[id].map { self.events[$0] }
    }

    /// The charge object `id` as it is now.
    func chargeJSON(_ id: String) -> JSONValue? {
        guard let charge = self.charges[id] else { return nil }
        return charge.json(refunds: charge.refunds.compactMap { self.refunds[$0] })
    }
}
