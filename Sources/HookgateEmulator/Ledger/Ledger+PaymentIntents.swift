import HookgateCore

extension Ledger {
    /// Stripe's largest amount (in the currency's minor unit) for a card payment.
    static let maximumAmount: Int64 = 99_999_999

    /// `POST /v1/payment_intents`: amount, currency, payment_method, confirm, metadata, description, customer.
    /// The emulator has no Customer objects: any `cus_` id is taken as it is, kept on the PaymentIntent and its
    /// charges.
    mutating func createPaymentIntent(
        _ parameters: FormParameters,
        context: Context
    ) throws(StripeAPIError) -> JSONValue {
        try parameters.requireOnly([
            "amount", "currency", "payment_method", "confirm", "metadata", "description", "expand",
            "payment_method_types", "automatic_payment_methods", "return_url", "off_session", "customer",
        ])
        guard let amount = try parameters.integer("amount", in: 1...Self.maximumAmount) else {
            throw .invalid("parameter_missing", "Missing required param: amount.", param: "amount")
        }
        let currency = try parameters.currency("currency")
        let metadata = try parameters.metadata()
        let customer = try Self.customer(parameters.value("customer"))
        let confirm = try parameters.boolean("confirm") ?? false
        let paymentMethod = try parameters.value("payment_method").map { name throws(StripeAPIError) in
            try self.paymentMethod(named: name)
        }
        if confirm, paymentMethod == nil {
            throw .invalid(
                "parameter_missing",
                "You cannot confirm this PaymentIntent because it's missing a payment method. Pass "
                    + "payment_method, e.g. one of Stripe's test payment methods: "
                    + TestPaymentMethod.names.joined(separator: ", ") + ".",
                param: "payment_method"
            )
        }
        let id = self.ids.make("pi")
        var intent = PaymentIntentRecord(
            id: id,
            clientSecret: self.ids.clientSecret(for: id),
            amount: amount,
            currency: currency,
            created: context.seconds,
            status: paymentMethod == nil ? "requires_payment_method" : "requires_confirmation",
            paymentMethod: paymentMethod?.id,
            metadata: metadata,
            description: parameters.value("description"),
            customer: customer
        )
        self.store(intent)
        self.record("payment_intent.created", object: intent.json, related: Self.related(intent), context: context)
        if confirm, let paymentMethod {
            try self.confirm(&intent, with: paymentMethod, context: context)
        }
        return intent.json
    }

    /// `POST /v1/payment_intents/{id}/confirm`, optionally with a payment_method.
    mutating func confirmPaymentIntent(
        _ id: String,
        _ parameters: FormParameters,
        context: Context
    ) throws(StripeAPIError) -> JSONValue {
        try parameters.requireOnly(["payment_method", "expand", "return_url", "off_session"])
        guard var intent = self.paymentIntents[id] else { throw .noSuch("payment_intent", id) }
        guard intent.status == "requires_payment_method" || intent.status == "requires_confirmation" else {
            throw .invalid(
                "payment_intent_unexpected_state",
                "You cannot confirm this PaymentIntent because it has a status of \(intent.status).",
                param: nil
            )
        }
        let named = try parameters.value("payment_method").map { name throws(StripeAPIError) in
            try self.paymentMethod(named: name)
        }
        guard
            let paymentMethod = named
                ?? intent.paymentMethod.flatMap({ id in self.paymentMethods[id].map { (id, $0) } })
        else {
            throw .invalid(
                "payment_intent_unexpected_state",
                "You cannot confirm this PaymentIntent because it's missing a payment method.",
                param: "payment_method"
            )
        }
        try self.confirm(&intent, with: paymentMethod, context: context)
        return intent.json
    }

    /// `GET /v1/payment_intents/{id}`.
    func paymentIntent(_ id: String) throws(StripeAPIError) -> JSONValue {
        guard let intent = self.paymentIntents[id] else { throw .noSuch("payment_intent", id) }
        return intent.json
    }

    /// Charges the test card: success, or a decline recorded on the PaymentIntent and thrown as a 402.
    private mutating func confirm(
        _ intent: inout PaymentIntentRecord,
        with paymentMethod: (id: String, card: TestPaymentMethod),
        context: Context
    ) throws(StripeAPIError) {
        let charge = ChargeRecord(
            id: self.ids.make("ch"),
            paymentIntent: intent.id,
            amount: intent.amount,
            currency: intent.currency,
            created: context.seconds,
            paymentMethod: paymentMethod.id,
            card: paymentMethod.card,
            metadata: intent.metadata,
            customer: intent.customer
        )
        self.store(charge)
        intent.latestCharge = charge.id
        let chargeRelated = RelatedObject(id: charge.id, type: "charge", url: "/v1/charges/\(charge.id)")
        guard let decline = paymentMethod.card.decline else {
            intent.status = "succeeded"
            intent.paymentMethod = paymentMethod.id
            intent.amountReceived = intent.amount
            intent.lastPaymentError = nil
            self.store(intent)
            self.record(
                "charge.succeeded",
                object: self.chargeJSON(charge.id)!,
                related: chargeRelated,
                context: context
            )
            self.record(
                "payment_intent.succeeded",
                object: intent.json,
                related: Self.related(intent),
                context: context
            )
            return
        }
        let method = JSONValue.members([
            "id": .string(paymentMethod.id), "object": .string("payment_method"), "type": .string("card"),
        ])
        var error = StripeAPIError(status: 402, kind: .card, code: decline.code, message: decline.message, param: nil)
        error.extra = [
            .init(key: "charge", value: .string(charge.id)),
            .init(key: "decline_code", value: .string(decline.declineCode)),
        ]
        intent.status = "requires_payment_method"
        intent.paymentMethod = nil
        intent.lastPaymentError = StoredJSON(Self.lastPaymentError(error, method: method))
        self.store(intent)
        self.record("charge.failed", object: self.chargeJSON(charge.id)!, related: chargeRelated, context: context)
        self.record(
            "payment_intent.payment_failed",
            object: intent.json,
            related: Self.related(intent),
            context: context
        )
        error.extra += [
            .init(key: "payment_intent", value: intent.json),
            .init(key: "payment_method", value: method),
        ]
        error.executed = true
        throw error
    }

    /// The payment method a request names: a test one (`pm_card_visa`), made into a `pm_1…` id, or one made before.
    private mutating func paymentMethod(
        named name: String
    ) throws(StripeAPIError) -> (id: String, card: TestPaymentMethod) {
        if let card = self.paymentMethods[name] { return (name, card) }
        guard let card = TestPaymentMethod.named(name) else {
            throw StripeAPIError(
                status: 400,
                kind: .invalidRequest,
                code: "resource_missing",
                message: "No such PaymentMethod: '\(StripeAPIError.bounded(name))'. Hookgate's emulator knows "
                    + "Stripe's test payment methods " + TestPaymentMethod.names.joined(separator: ", ") + ".",
                param: "payment_method"
            )
        }
        let id = "pm_1" + String(self.ids.make("pm").dropFirst(4))
        self.paymentMethods[id] = card
        self.changes.append(StateChange(kind: .paymentMethod, id: id))
        return (id, card)
    }

    /// The `customer` parameter: a `cus_` id of letters, digits and `_` (any such id, as there are no Customer
    /// objects), or `nil` when not given.
    private static func customer(_ value: String?) throws(StripeAPIError) -> String? {
        guard let value else { return nil }
        let name = value.utf8.dropFirst(4)
        guard value.hasPrefix("cus_"), !name.isEmpty, name.count <= 251,
            name.allSatisfy({ byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            })
        else {
            throw StripeAPIError(
                status: 400,
                kind: .invalidRequest,
                code: "resource_missing",
                message: "No such customer: '\(StripeAPIError.bounded(value))'. Hookgate's emulator takes any id "
                    + "of the form cus_ followed by letters, digits or _.",
                param: "customer"
            )
        }
        return value
    }

    /// `last_payment_error` of a declined PaymentIntent: the card error without the PaymentIntent itself.
    private static func lastPaymentError(_ error: StripeAPIError, method: JSONValue) -> JSONValue {
        guard case .object(let members)? = error.json["error"] else { return .null }
        return .object(members + [.init(key: "payment_method", value: method)]).sortedMembers()
    }

    static func related(_ intent: PaymentIntentRecord) -> RelatedObject {
        RelatedObject(id: intent.id, type: "payment_intent", url: "/v1/payment_intents/\(intent.id)")
    }
}

extension JSONValue {
    /// This object with its members sorted by key (as Stripe writes error objects).
    func sortedMembers() -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.sorted { $0.key < $1.key })
    }
}
