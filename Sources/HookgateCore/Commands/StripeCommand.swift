/// A command of the payment system, validated (``parse(_:)``), with the one request to Stripe's API it stands
/// for: built once at receipt and sent with exactly these bytes and this key on every attempt.
public struct StripeCommand: Hashable, Sendable {
    /// The CloudEvent `id`: the dedup key and the `Idempotency-Key` sent to Stripe.
    public var id: String
    /// The command type.
    public var kind: CommandKind
    /// The CloudEvent `source`.
    public var source: String
    /// The order the command is about (`data.orderId`, also the CloudEvent `subject` when present).
    public var subject: String
    /// The parameters in Stripe's form encoding (``FormEncoding``).
    public var form: [UInt8]

    /// `POST`: every command creates an object.
    public var method: String { "POST" }
    /// The API path, ``CommandKind/apiPath``.
    public var path: String { self.kind.apiPath }
    /// The `Idempotency-Key` header: the CloudEvent id.
    public var idempotencyKey: String { self.id }

    /// Creates a command (``parse(_:)`` is the way to get a valid one).
    public init(
        id: String,
        kind: CommandKind,
        source: String,
        subject: String,
        form: [UInt8]
    ) {
        self.id = id
        self.kind = kind
        self.source = source
        self.subject = subject
        self.form = form
    }
}
