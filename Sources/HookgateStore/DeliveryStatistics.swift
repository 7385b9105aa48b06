/// How many deliveries there are, by state, Stripe type and catalog type.
public struct DeliveryStatistics: Hashable, Sendable {
    /// Every delivery counted.
    public var total: Int
    /// By state; states without deliveries count 0.
    public var byState: [DeliveryState: Int]
    /// By the provider's event type (e.g. `payment_intent.succeeded`).
    public var byEventType: [String: Int]
    /// By the catalog event type they were prepared as (e.g. `payment-succeeded`).
    public var byCatalogType: [String: Int]
    /// Deliveries without a catalog type: not prepared yet, skipped, or forwarded raw.
    public var withoutCatalogType: Int

    /// Creates statistics.
    public init(
        total: Int,
        byState: [DeliveryState: Int],
        byEventType: [String: Int],
        byCatalogType: [String: Int],
        withoutCatalogType: Int
    ) {
        self.total = total
        self.byState = byState
        self.byEventType = byEventType
        self.byCatalogType = byCatalogType
        self.withoutCatalogType = withoutCatalogType
    }

    /// No delivery counted yet: every state at 0.
    static var none: DeliveryStatistics {
        DeliveryStatistics(
            total: 0,
            byState: Dictionary(uniqueKeysWithValues: DeliveryState.allCases.map { ($0, 0) }),
            byEventType: [:],
            byCatalogType: [:],
            withoutCatalogType: 0
        )
    }

    /// Counts `count` deliveries of one (state, event type, catalog type) group, as a store's `GROUP BY` returns it.
    mutating func add(_ count: Int, state: String, eventType: String, catalogType: String?) {
        total += count
        if let state = DeliveryState(rawValue: state) { byState[state, default: 0] += count }
        byEventType[eventType, default: 0] += count
        if let catalogType {
            byCatalogType[catalogType, default: 0] += count
        } else {
            withoutCatalogType += count
        }
    }
}
