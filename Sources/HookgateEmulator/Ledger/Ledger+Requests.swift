import HookgateCore

extension Ledger {
    /// The most events kept; beyond, requests that would make more are refused (503).
    static let maximumEvents = 100_000

    /// Runs one request on the ledger and returns the answer's object, expanded as `expand[]` asks.
    mutating func handle(
        _ request: APIRequest,
        _ parameters: FormParameters,
        context: Context
    ) throws(StripeAPIError) -> JSONValue {
        if request.method == "POST", self.events.count >= Self.maximumEvents {
            throw StripeAPIError(
                status: 503,
                kind: .api,
                code: nil,
                message: "Hookgate's emulator holds at most \(Self.maximumEvents) events: start it again.",
                param: nil
            )
        }
        let object = try self.route(request, parameters, context: context)
        do {
            return try self.expand(object, parameters.list("expand"))
        } catch {
            // A POST has run by now (its object and events exist): the refusal of its `expand[]` is its answer,
            // saved under its idempotency key, so that a retry with the key does not run it again.
            var refusal = error
            refusal.executed = request.method == "POST"
            throw refusal
        }
    }

    private mutating func route(
        _ request: APIRequest,
        _ parameters: FormParameters,
        context: Context
    ) throws(StripeAPIError) -> JSONValue {
        let route = Route(method: request.method, path: request.path)
        if route.matches("POST", "v1", "payment_intents") {
            return try self.createPaymentIntent(parameters, context: context)
        }
        if route.matches("GET", "v1", "payment_intents") {
            return try self.listPaymentIntents(parameters)
        }
        if let id = route.id("GET", "v1", "payment_intents", "*") {
            try parameters.requireOnly(["expand"])
            return try self.paymentIntent(id)
        }
        if let id = route.id("POST", "v1", "payment_intents", "*", "confirm") {
            return try self.confirmPaymentIntent(id, parameters, context: context)
        }
        if let id = route.id("GET", "v1", "charges", "*") {
            try parameters.requireOnly(["expand"])
            guard let charge = self.chargeJSON(id) else { throw .noSuch("charge", id) }
            return charge
        }
        if route.matches("POST", "v1", "refunds") {
            return try self.createRefund(parameters, context: context)
        }
        if route.matches("GET", "v1", "refunds") {
            return try self.listRefunds(parameters)
        }
        if let id = route.id("GET", "v1", "refunds", "*") {
            try parameters.requireOnly(["expand"])
            return try self.refund(id)
        }
        if route.matches("GET", "v1", "events") {
            return try self.listEvents(parameters)
        }
        if let id = route.id("GET", "v1", "events", "*") {
            try parameters.requireOnly(["expand"])
            return try self.snapshotEvent(id)
        }
        if route.matches("GET", "_emulator", "requests") {
            return try self.listRequests(parameters)
        }
        if let id = route.id("GET", "v2", "core", "events", "*") {
            return try self.thinEvent(id)
        }
        throw .unrecognizedURL(method: request.method, path: String(request.path))
    }

    /// `expand[]`: ids of charges, PaymentIntents and refunds in the answer's top level replaced by the objects.
    /// Any other path (an id of an object the emulator does not keep, such as a PaymentMethod, or no id) is
    /// refused, never answered with the id left as it was: a client reading the object would pass here and fail
    /// against Stripe.
    private func expand(_ object: JSONValue, _ paths: [String]) throws(StripeAPIError) -> JSONValue {
        var result = object
        for path in paths {
            switch object[path] {
            case .string(let id)?:
                guard
                    let expanded = self.paymentIntents[id]?.json ?? self.chargeJSON(id) ?? self.refunds[id]?.json
                else { throw Self.cannotExpand(path) }
                result = result.setting(path, to: expanded)
            case .null?:
                continue
            default:
                throw Self.cannotExpand(path)
            }
        }
        return result
    }

    /// Stripe's refusal of an `expand[]` path.
    private static func cannotExpand(_ path: String) -> StripeAPIError {
        .invalid(nil, "This property cannot be expanded (\(StripeAPIError.bounded(path))).", param: "expand")
    }
}
