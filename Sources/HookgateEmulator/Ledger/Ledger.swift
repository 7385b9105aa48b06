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
    /// PaymentIntent and Refund ids, oldest first (the lists' order).
    var paymentIntentOrder: [String] = []
    var refundOrder: [String] = []
    /// Payment method ids made from a test payment method (`pm_card_visa` → `pm_1…`) and what they stand for.
    var paymentMethods: [String: TestPaymentMethod] = [:]
    /// Every event, oldest first.
    var events: [EventRecord] = []
    /// Index in ``events`` by event id and by thin event id.
    var eventIndex: [String: Int] = [:]
    /// The POSTs answered since start.
    var requests = RequestLog()
    /// Answers saved under idempotency keys.
    var idempotency = IdempotencyLog()
    /// The records the current request changed, for the state file.
    var changes: [StateChange] = []
    /// The events the current request made, for the webhook dispatcher.
    var newEvents: [String] = []

    /// Records an event about `object` (a snapshot of it now).
    mutating func record(
        _ type: String,
        object: JSONValue,
        related: RelatedObject,
        context: Context
    ) {
        let event = EventRecord(
            id: self.ids.make("evt"),
            thinID: self.ids.thinEvent(),
            type: type,
            created: context.seconds,
            createdMilliseconds: context.now,
            object: StoredJSON(object),
            relatedObject: related,
            requestID: context.requestID,
            idempotencyKey: context.idempotencyKey,
            delivery: context.forwards ? .pending : .none
        )
        self.eventIndex[event.id] = self.events.count
        self.eventIndex[event.thinID] = self.events.count
        self.events.append(event)
        self.changes.append(StateChange(kind: .event, id: event.id))
        self.newEvents.append(event.id)
    }

    /// Keeps `intent` as it is now.
    mutating func store(_ intent: PaymentIntentRecord) {
        if self.paymentIntents.updateValue(intent, forKey: intent.id) == nil {
            self.paymentIntentOrder.append(intent.id)
        }
        self.changes.append(StateChange(kind: .paymentIntent, id: intent.id))
    }

    /// Keeps `charge` as it is now.
    mutating func store(_ charge: ChargeRecord) {
        self.charges[charge.id] = charge
        self.changes.append(StateChange(kind: .charge, id: charge.id))
    }

    /// Keeps `refund`.
    mutating func store(_ refund: RefundRecord) {
        if self.refunds.updateValue(refund, forKey: refund.id) == nil { self.refundOrder.append(refund.id) }
        self.changes.append(StateChange(kind: .refund, id: refund.id))
    }

    /// Sets how event `id`'s webhook went; once delivered it stays delivered.
    mutating func setDelivery(_ state: DeliveryState, eventID id: String) {
        guard let index = self.eventIndex[id], self.events[index].delivery != .delivered else { return }
        self.events[index].delivery = state
        self.changes.append(StateChange(kind: .event, id: self.events[index].id))
    }

    /// Saves `response` under idempotency `key`.
    mutating func saveIdempotent(_ key: String, _ entry: IdempotencyLog.Entry) {
        let forgotten = self.idempotency.save(key, entry)
        self.changes.append(StateChange(kind: .idempotency, id: key))
        if let forgotten { self.changes.append(StateChange(kind: .idempotency, id: forgotten, removed: true)) }
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
