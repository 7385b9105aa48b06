import HookgateCore

/// Stripe's error shape, `{"error": {"type": ..., "code": ..., "message": ...}}`, read from an answer's body.
struct StripeAPIErrorBody {
    var type: String?
    var code: String?
    var message: String?

    /// The fields of `body`; all `nil` when it is not Stripe's error shape.
    init(_ body: [UInt8]) {
        guard let document = try? JSONValueParser.parse(body, limits: StripeAPIClient.documentLimits),
            let error = document["error"]
        else { return }
        func text(_ key: String) -> String? {
            guard case .string(let value)? = error[key] else { return nil }
            return value
        }
        self.type = text("type")
        self.code = text("code")
        self.message = text("message")
    }
}
