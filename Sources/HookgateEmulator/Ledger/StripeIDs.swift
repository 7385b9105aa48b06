/// Makes ids that look like Stripe's test ids (`pi_3…`, `ch_3…`, `re_3…`, `evt_3…`, `evt_test_65…`,
/// `req_…`): a prefix and random letters and digits.
struct StripeIDs: Sendable {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `prefix_` and 24 random characters; payment objects and their events start with `3`, as in test mode.
    func make(_ prefix: String) -> String {
        prefix + "_3" + Self.random(23)
    }

    /// A thin event's id: `evt_test_65` and 40 random characters.
    func thinEvent() -> String {
        "evt_test_65" + Self.random(40)
    }

    /// A request id: `req_` and 14 random characters.
    func request() -> String {
        "req_" + Self.random(14)
    }

    /// A PaymentIntent's client secret: `<id>_secret_` and 25 random characters.
    func clientSecret(for id: String) -> String {
        id + "_secret_" + Self.random(25)
    }

    private static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in Self.alphabet.randomElement(using: &generator)! }, as: UTF8.self)
    }
}
