import HookgateCore

extension Ledger {
    /// The most `types[]` Stripe accepts in one list request.
    static let maximumTypes = 20

    /// `GET /v1/events`: newest first, filtered by `created[gt|gte|lt|lte]` (or `created=T`), `type` (with a
    /// `*` wildcard), `types[]`, `delivery_success`; paged with `limit` (1–100, default 10), `starting_after`
    /// and `ending_before`.
    func listEvents(_ parameters: FormParameters) throws(StripeAPIError) -> JSONValue {
        try parameters.requireOnly([
            "created", "type", "types", "delivery_success", "limit", "starting_after", "ending_before", "expand",
        ])
        let created = try Self.createdRange(parameters)
        let types = parameters.list("types")
        guard types.count <= Self.maximumTypes else {
            throw .invalid(
                "parameter_invalid_array",
                "types can hold at most \(Self.maximumTypes) event types.",
                param: "types"
            )
        }
        if parameters.value("type") != nil, !types.isEmpty {
            throw .invalid(nil, "You may only specify one of these parameters: type, types.", param: "types")
        }
        let type = parameters.value("type")
        let deliverySuccess = try parameters.boolean("delivery_success")
        let matching = self.events.reversed().filter { event in
            (created?.contains(event.created) ?? false)
                && (types.isEmpty || types.contains(event.type))
                && (type.map { Self.matches(event.type, pattern: $0) } ?? true)
                && (deliverySuccess.map { $0 == (event.delivery == .delivered || event.delivery == .none) } ?? true)
        }
        return try Self.page(
            matching.map(\.id),
            parameters: parameters,
            url: "/v1/events",
            what: "event"
        ) { id in self.event(id)?.json }
    }

    /// `GET /v1/events/{id}`.
    func snapshotEvent(_ id: String) throws(StripeAPIError) -> JSONValue {
        guard let event = self.event(id), event.id == id else { throw .noSuch("event", id) }
        return event.json
    }

    /// `GET /v2/core/events/{id}`: the thin event.
    func thinEvent(_ id: String) throws(StripeAPIError) -> JSONValue {
        guard let event = self.event(id), event.thinID == id else { throw .noSuch("event", id) }
        return event.thinJSON
    }

    /// `payment_intent.*` matches every PaymentIntent event; anything else only itself.
    private static func matches(_ type: String, pattern: String) -> Bool {
        pattern.hasSuffix("*") ? type.hasPrefix(pattern.dropLast()) : type == pattern
    }

    /// The `created` bounds as a range of Unix seconds; `nil` when they exclude every time.
    static func createdRange(_ parameters: FormParameters) throws(StripeAPIError) -> ClosedRange<Int64>? {
        if let exactly = try parameters.integer("created", in: 0...Int64.max / 2) {
            return exactly...exactly
        }
        var lower = Int64.min
        var upper = Int64.max
        for (key, text) in parameters.hash("created") {
            guard let value = Int64(text), (0...Int64.max / 2).contains(value) else {
                throw .invalid(
                    "parameter_invalid_integer",
                    "Invalid integer: \(StripeAPIError.bounded(text))",
                    param: "created[\(key)]"
                )
            }
            switch key {
            case "gt": lower = max(lower, value + 1)
            case "gte": lower = max(lower, value)
            case "lt": upper = min(upper, value - 1)
            case "lte": upper = min(upper, value)
            default:
                throw .invalid(
                    "parameter_unknown",
                    "Received unknown parameter: created[\(StripeAPIError.bounded(key))]",
                    param: "created[\(StripeAPIError.bounded(key))]"
                )
            }
        }
        return lower <= upper ? lower...upper : nil
    }
}
