public import Foundation

/// Filters for listing commands, newest first. Nil filters match everything.
public struct CommandQuery: Hashable, Sendable {
    /// Only this state.
    public var state: DeliveryState?
    /// Only this command type (`payment-requested`, `refund-requested`).
    public var kind: String?
    /// Only the command with this CloudEvent id.
    public var commandID: String?
    /// Only commands with this subject (an order id).
    public var subject: String?
    /// Only commands whose Stripe object is this one (`pi_...`, `re_...`).
    public var stripeObjectID: String?
    /// Only commands received at or after this time.
    public var receivedFrom: Date?
    /// Only commands received before this time.
    public var receivedBefore: Date?
    /// Only commands whose key comes before this one (the next page of a newest-first list).
    public var before: CommandCursor?
    /// At most this many rows.
    public var limit: Int

    /// Creates a query; by default the 100 newest commands.
    public init(
        state: DeliveryState? = nil,
        kind: String? = nil,
        commandID: String? = nil,
        subject: String? = nil,
        stripeObjectID: String? = nil,
        receivedFrom: Date? = nil,
        receivedBefore: Date? = nil,
        before: CommandCursor? = nil,
        limit: Int = 100
    ) {
        self.state = state
        self.kind = kind
        self.commandID = commandID
        self.subject = subject
        self.stripeObjectID = stripeObjectID
        self.receivedFrom = receivedFrom
        self.receivedBefore = receivedBefore
        self.before = before
        self.limit = limit
    }
}
