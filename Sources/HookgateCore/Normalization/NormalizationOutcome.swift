/// What becomes of one stored Stripe event.
public enum NormalizationOutcome: Sendable, Hashable {
    /// Forward these events, in order. Usually one; a `charge.refunded` yields one per succeeded refund.
    case forward([NormalizedEvent])
    /// Forward nothing: mark the delivery skipped for this reason.
    case skip(SkipReason)
}
