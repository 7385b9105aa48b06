/// Everything stored about one delivery, for inspecting it: the record, its attempts and what the worker
/// prepared to send.
public struct DeliveryInspection: Hashable, Sendable {
    /// The delivery and its attempts, oldest first.
    public var detail: DeliveryDetail
    /// The prepared messages, in order (none: not prepared yet, skipped, or forwarded raw).
    public var messages: [OutboundMessage]

    /// Creates an inspection.
    public init(detail: DeliveryDetail, messages: [OutboundMessage]) {
        self.detail = detail
        self.messages = messages
    }
}
