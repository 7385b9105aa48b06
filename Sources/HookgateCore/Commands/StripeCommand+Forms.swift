extension StripeCommand {
    /// The largest amount accepted, in minor units: Stripe's limit for a PaymentIntent (8 digits).
    public static let maximumAmount: Int64 = 99_999_999

    /// The longest order id: Stripe's limit for a metadata value.
    static let maximumOrderIDLength = 500

    /// The longest description accepted.
    public static let maximumDescriptionLength = 1000

    /// The reasons Stripe accepts for a refund.
    public static let refundReasons = ["duplicate", "fraudulent", "requested_by_customer"]

    private static let amountRule = "an integer from 1 to \(maximumAmount)"
    private static let orderIDRule = "a string of 1 to \(maximumOrderIDLength) characters"

    /// `payment-requested`: the order id, and `POST /v1/payment_intents`'s parameters but the metadata.
    static func paymentParameters(
        _ data: CommandMemberReader
    ) throws(CommandRefusal) -> (orderID: String, parameters: [(name: String, value: String)]) {
        try data.refuseUnknownMembers(
            of: "payment-requested",
            known: ["orderId", "amount", "currency", "paymentMethodId", "customerId", "description"]
        )
        let orderID = try data.requiredString("orderId", Self.orderIDRule, where: Self.isValidOrderID)
        let amount = try data.requiredInteger("amount", Self.amountRule, in: 1...Self.maximumAmount)
        let currency = try data.requiredString(
            "currency",
            "three lowercase letters, an ISO currency code such as \"usd\""
        ) {
            $0.utf8.count == 3 && $0.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        }
        let paymentMethod = try data.requiredString(
            "paymentMethodId",
            "a Stripe PaymentMethod id: pm_ then letters, digits or _"
        ) {
            StripeID.isValid($0, prefix: "pm_")
        }
        let customer = try data.string(
            "customerId",
            "a Stripe Customer id (cus_ then letters, digits or _) or null",
            nullable: true
        ) { StripeID.isValid($0, prefix: "cus_") }
        let description = try data.string(
            "description",
            "a string of at most \(Self.maximumDescriptionLength) characters"
        ) { $0.unicodeScalars.count <= Self.maximumDescriptionLength }
        var parameters: [(name: String, value: String)] = [
            ("amount", String(amount)), ("currency", currency), ("payment_method", paymentMethod),
            ("confirm", "true"), ("off_session", "true"), ("payment_method_types[0]", "card"),
        ]
        if let customer { parameters.append(("customer", customer)) }
        if let description { parameters.append(("description", description)) }
        return (orderID, parameters)
    }

    /// `refund-requested`: the order id, and `POST /v1/refunds`'s parameters but the metadata.
    static func refundParameters(
        _ data: CommandMemberReader
    ) throws(CommandRefusal) -> (orderID: String, parameters: [(name: String, value: String)]) {
        try data.refuseUnknownMembers(of: "refund-requested", known: ["orderId", "paymentId", "amount", "reason"])
        let orderID = try data.requiredString("orderId", Self.orderIDRule, where: Self.isValidOrderID)
        let payment = try data.requiredString("paymentId", "a Stripe PaymentIntent id: pi_ then letters, digits or _") {
            StripeID.isValid($0, prefix: "pi_")
        }
        let amount = try data.integer(
            "amount",
            Self.amountRule + ", or null for all that is left",
            in: 1...Self.maximumAmount,
            nullable: true
        )
        let reasons = Self.refundReasons.map { "\"\($0)\"" }.joined(separator: ", ")
        let reason = try data.string("reason", "one of \(reasons), or null", nullable: true) {
            Self.refundReasons.contains($0)
        }
        var parameters: [(name: String, value: String)] = [("payment_intent", payment)]
        if let amount { parameters.append(("amount", String(amount))) }
        if let reason { parameters.append(("reason", reason)) }
        return (orderID, parameters)
    }

    private static func isValidOrderID(_ text: String) -> Bool {
        (1...Self.maximumOrderIDLength).contains(text.unicodeScalars.count)
    }
}
