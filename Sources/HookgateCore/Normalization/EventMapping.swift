/// Which catalog event, if any, each Stripe event type becomes.
///
/// The rules that depend on the object rather than on the type (a charge only counts when it has no payment
/// intent, a refund only once it succeeded) belong to the catalog type, so an override such as
/// `"charge.captured": "payment-succeeded"` applies them too.
public struct EventMapping: Sendable, Hashable {
    /// What one Stripe event type maps to.
    public enum Target: Sendable, Hashable {
        /// Normalize to this catalog event.
        case catalog(CatalogEventType)
        /// Store the event and mark it skipped, even when unmapped events are forwarded.
        case skip

        /// The target named by a configuration value: a catalog type's raw value or `skip`.
        public init?(configurationValue: String) {
            if configurationValue == "skip" {
                self = .skip
            } else if let type = CatalogEventType(rawValue: configurationValue) {
                self = .catalog(type)
            } else {
                return nil
            }
        }

        /// The configuration value naming this target.
        public var configurationValue: String {
            switch self {
            case .catalog(let type): type.rawValue
            case .skip: "skip"
            }
        }
    }

    /// The target of each mapped Stripe event type; a type not listed is unmapped.
    public private(set) var targets: [String: Target]

    public init(targets: [String: Target]) {
        self.targets = targets
    }

    /// The documented default: payment intents' `succeeded` and `payment_failed`; charges' `succeeded` and
    /// `failed` (only without a payment intent); refunds' `created`, `updated`, `charge.refund.updated` and
    /// `charge.refunded` (only succeeded refunds).
    public static let `default` = EventMapping(targets: [
        "payment_intent.succeeded": .catalog(.paymentSucceeded),
        "payment_intent.payment_failed": .catalog(.paymentFailed),
        "charge.succeeded": .catalog(.paymentSucceeded),
        "charge.failed": .catalog(.paymentFailed),
        "refund.created": .catalog(.refundProcessed),
        "refund.updated": .catalog(.refundProcessed),
        "charge.refund.updated": .catalog(.refundProcessed),
        "charge.refunded": .catalog(.refundProcessed),
    ])

    /// This mapping with `overrides` replacing or adding the targets of their Stripe types.
    public func overriding(with overrides: [String: Target]) -> EventMapping {
        EventMapping(targets: self.targets.merging(overrides) { _, override in override })
    }

    /// The target of `stripeType`; `nil` when it is unmapped.
    public func target(forStripeType stripeType: String) -> Target? {
        self.targets[stripeType]
    }
}
