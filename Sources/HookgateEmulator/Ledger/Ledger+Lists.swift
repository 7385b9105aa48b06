import HookgateCore

extension Ledger {
    /// A page of Stripe's list object at `url`: of `ids` (newest first), `limit` (1–100, default 10) of them
    /// after `starting_after` or before `ending_before`, each rendered by `render`.
    static func page(
        _ ids: [String],
        parameters: FormParameters,
        url: String,
        what: String,
        render: (String) -> JSONValue?
    ) throws(StripeAPIError) -> JSONValue {
        let limit = Int(try parameters.integer("limit", in: 1...100) ?? 10)
        var page = ids[...]
        var hasMore: Bool
        if let after = parameters.value("starting_after") {
            guard let index = ids.firstIndex(of: after) else {
                throw .noSuch(what, after, param: "starting_after", status: 400)
            }
            page = ids[(index + 1)...]
            hasMore = page.count > limit
            page = page.prefix(limit)
        } else if let before = parameters.value("ending_before") {
            guard let index = ids.firstIndex(of: before) else {
                throw .noSuch(what, before, param: "ending_before", status: 400)
            }
            hasMore = index > limit
            page = ids[..<index].suffix(limit)
        } else {
            hasMore = page.count > limit
            page = page.prefix(limit)
        }
        return .members([
            "object": .string("list"),
            "data": .array(page.compactMap(render)),
            "has_more": .bool(hasMore),
            "url": .string(url),
        ])
    }

    /// `GET /v1/payment_intents`: newest first, `created` bounds, paged.
    func listPaymentIntents(_ parameters: FormParameters) throws(StripeAPIError) -> JSONValue {
        try parameters.requireOnly(["created", "limit", "starting_after", "ending_before", "expand"])
        let created = try Self.createdRange(parameters)
        let ids = self.paymentIntentOrder.reversed().filter { id in
            self.paymentIntents[id].map { created?.contains($0.created) ?? false } ?? false
        }
        return try Self.page(ids, parameters: parameters, url: "/v1/payment_intents", what: "payment_intent") { id in
            self.paymentIntents[id]?.json
        }
    }

    /// `GET /v1/refunds`: newest first, for one `payment_intent` or `charge`, `created` bounds, paged.
    func listRefunds(_ parameters: FormParameters) throws(StripeAPIError) -> JSONValue {
        try parameters.requireOnly([
            "payment_intent", "charge", "created", "limit", "starting_after", "ending_before", "expand",
        ])
        let created = try Self.createdRange(parameters)
        let paymentIntent = parameters.value("payment_intent")
        let charge = parameters.value("charge")
        let ids = self.refundOrder.reversed().filter { id in
            guard let refund = self.refunds[id] else { return false }
            return (created?.contains(refund.created) ?? false)
                && (paymentIntent.map { $0 == refund.paymentIntent } ?? true)
                && (charge.map { $0 == refund.charge } ?? true)
        }
        return try Self.page(ids, parameters: parameters, url: "/v1/refunds", what: "refund") { id in
            self.refunds[id]?.json
        }
    }
}
