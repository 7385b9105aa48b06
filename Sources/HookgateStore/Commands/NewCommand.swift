public import Foundation

/// A command the payment system sent (a CloudEvent, validated), as the commands socket hands it to
/// ``CommandStore/appendCommand(_:)``.
public struct NewCommand: Hashable, Sendable {
    /// The CloudEvent `id`: the dedup key, and the `Idempotency-Key` sent to Stripe.
    public var commandID: String
    /// The catalog command type (`payment-requested` or `refund-requested`).
    public var kind: String
    /// The CloudEvent `source` (e.g. `payments-platform/orders`).
    public var source: String
    /// What the command is about (the order id), for listing.
    public var subject: String?
    /// When the gateway received it.
    public var receivedAt: Date
    /// The CloudEvent exactly as received.
    public var body: Data
    /// The request to make of Stripe's API, derived from the CloudEvent once, at receipt.
    public var request: StripeRequest

    /// Creates a command to append; it becomes due at `receivedAt`.
    public init(
        commandID: String,
        kind: String,
        source: String,
        subject: String?,
        receivedAt: Date,
        body: Data,
        request: StripeRequest
    ) {
        self.commandID = commandID
        self.kind = kind
        self.source = source
        self.subject = subject
        self.receivedAt = receivedAt
        self.body = body
        self.request = request
    }
}

/// One request to Stripe's API, made the same way on every attempt.
public struct StripeRequest: Hashable, Sendable {
    /// `POST`.
    public var method: String
    /// The API path, e.g. `/v1/payment_intents`.
    public var path: String
    /// The parameters, `application/x-www-form-urlencoded`.
    public var form: Data
    /// The `Idempotency-Key` header: Stripe answers a repeated key with the first answer, so a retry never
    /// charges twice.
    public var idempotencyKey: String

    /// Creates a request.
    public init(method: String, path: String, form: Data, idempotencyKey: String) {
        self.method = method
        self.path = path
        self.form = form
        self.idempotencyKey = idempotencyKey
    }
}
