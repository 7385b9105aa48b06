/// A record a request changed, to be written to the state file.
struct StateChange: Sendable, Hashable {
    /// The kinds of records, as the state file names them.
    enum Kind: String, Sendable, CaseIterable {
        case paymentMethod = "payment_method"
        case paymentIntent = "payment_intent"
        case charge
        case refund
        case event
        case idempotency
    }

    let kind: Kind
    let id: String
    /// Whether the record is gone (an idempotency key forgotten).
    var removed = false
}
