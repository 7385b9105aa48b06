import HookgateCore

/// Stripe's error shape, `{"error": {"type": ..., "code": ..., "decline_code": ..., "message": ...,
/// "payment_intent": {...}}}`, read from an answer's body.
struct StripeAPIErrorBody {
    var type: String?
    var code: String?
    /// The card issuer's reason of a `card_error` (`generic_decline`, `insufficient_funds`).
    var declineCode: String?
    var message: String?
    /// The PaymentIntent the error is about (a declined card's), with its status.
    var paymentIntent: (id: String, status: String?)?

    /// The fields of `body`; all `nil` when it is not Stripe's error shape.
    init(_ body: [UInt8]) {
        guard let document = try? JSONValueParser.parse(body, limits: StripeAPIClient.documentLimits),
            let error = document["error"]
        else { return }
        func text(_ value: JSONValue?) -> String? {
            guard case .string(let value)? = value else { return nil }
            return value
        }
        self.type = text(error["type"])
        self.code = text(error["code"])
        self.declineCode = text(error["decline_code"])
        self.message = text(error["message"])
        if let id = text(error["payment_intent"]?["id"]) {
            self.paymentIntent = (id, text(error["payment_intent"]?["status"]))
        }
    }
}
