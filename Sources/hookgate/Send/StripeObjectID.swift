/// Fresh Stripe-style object ids: a prefix, `_` and 24 random base62 characters (`evt_1Qx...`).
enum StripeObjectID {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A new id with `prefix`, e.g. `make("pi")` → `pi_3Pq7...`.
    static func make(_ prefix: String, length: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }
}
