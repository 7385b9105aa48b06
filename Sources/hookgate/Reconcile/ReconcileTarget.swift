import HookgateCore

/// An endpoint reconciliation lists Stripe's events for: a Stripe endpoint, the Stripe types its mapping sends to
/// the payment system, and the mode it accepts.
struct ReconcileTarget: Sendable, Hashable {
    /// The endpoint's name: what the events are stored under.
    var endpoint: String
    /// The Stripe types mapped to a catalog event, sorted.
    var stripeTypes: [String]
    /// Which events it accepts by `livemode`.
    var expectedMode: ExpectedMode

    /// The Stripe endpoints of `endpoints` with the types each maps (one without a mapped type is left out).
    static func all(_ endpoints: [EndpointConfiguration]) -> [ReconcileTarget] {
        endpoints.compactMap { endpoint in
            guard endpoint.scheme == "stripe" else { return nil }
            let types = endpoint.normalizationOptions.mapping.targets.compactMap { type, target in
                if case .catalog = target { type } else { nil }
            }
            guard !types.isEmpty else { return nil }
            return ReconcileTarget(
                endpoint: endpoint.name,
                stripeTypes: types.sorted(),
                expectedMode: endpoint.expectedMode
            )
        }
    }
}
