/// The request headers kept with a delivery: the ones needed to re-verify, replay or trace it.
public struct DeliveryHeaders: Hashable, Sendable {
    /// The provider's signature header, verbatim (e.g. `Stripe-Signature`).
    public var signature: String?
    /// `Content-Type`.
    public var contentType: String?
    /// `User-Agent`.
    public var userAgent: String?
    /// The provider's or a proxy's request id (e.g. `Request-Id`), for tracing.
    public var requestID: String?

    /// Creates the header set; every header is optional.
    public init(
        signature: String? = nil,
        contentType: String? = nil,
        userAgent: String? = nil,
        requestID: String? = nil
    ) {
        self.signature = signature
        self.contentType = contentType
        self.userAgent = userAgent
        self.requestID = requestID
    }
}
