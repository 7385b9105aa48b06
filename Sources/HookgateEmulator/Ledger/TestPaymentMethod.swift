/// Stripe's test payment methods the emulator knows, and the outcome each one decides.
struct TestPaymentMethod: Sendable, Codable {
    /// Why a card is declined: Stripe's error `code`, `decline_code` and `message`.
    struct Decline: Sendable, Hashable, Codable {
        let code: String
        let declineCode: String
        let message: String
    }

    let id: String
    let brand: String
    let last4: String
    let funding: String
    let decline: Decline?

    /// The test payment method `id`, or `nil` when the emulator does not know it.
    static func named(_ id: String) -> TestPaymentMethod? {
        Self.all.first { $0.id == id }
    }

    /// The ids, for messages.
    static var names: [String] { Self.all.map(\.id) }

    private static let declined = Decline(
        code: "card_declined",
        declineCode: "generic_decline",
        message: "Your card was declined."
    )

    private static let all: [TestPaymentMethod] = [
        TestPaymentMethod(id: "pm_card_visa", brand: "visa", last4: "4242", funding: "credit", decline: nil),
        TestPaymentMethod(
            id: "pm_card_mastercard",
            brand: "mastercard",
            last4: "4444",
            funding: "credit",
            decline: nil
        ),
        TestPaymentMethod(id: "pm_card_amex", brand: "amex", last4: "8431", funding: "credit", decline: nil),
        TestPaymentMethod(
            id: "pm_card_chargeDeclined",
            brand: "visa",
            last4: "0002",
            funding: "credit",
            decline: declined
        ),
        TestPaymentMethod(
            id: "pm_card_chargeDeclinedInsufficientFunds",
            brand: "visa",
            last4: "9995",
            funding: "credit",
            decline: Decline(
                code: "card_declined",
                declineCode: "insufficient_funds",
                message: "Your card has insufficient funds."
            )
        ),
        TestPaymentMethod(
            id: "pm_card_chargeDeclinedExpiredCard",
            brand: "visa",
            last4: "0069",
            funding: "credit",
            decline: Decline(code: "expired_card", declineCode: "expired_card", message: "Your card has expired.")
        ),
        TestPaymentMethod(
            id: "pm_card_chargeDeclinedIncorrectCvc",
            brand: "visa",
            last4: "0127",
            funding: "credit",
            decline: Decline(
                code: "incorrect_cvc",
                declineCode: "incorrect_cvc",
                message: "Your card's security code is incorrect."
            )
        ),
    ]
}
