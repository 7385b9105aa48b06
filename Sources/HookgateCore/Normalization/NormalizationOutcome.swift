/// What becomes of one stored Stripe event.
public enum NormalizationOutcome: Sendable, Hashable {
    /// Forward these events, in order. Usually one; a `charge.refunded` yields one per succeeded refund.
    case forward([NormalizedEvent])
    /// Forward nothing: mark the delivery skipped for this reason.
    case skip(SkipReason)
    /// Forward the stored body as it was received: a thin event (Stripe's `v2.core.event`), which names the
    /// object it is about without carrying it, so there is nothing to normalize. Its events are kept in order
    /// by `orderingKey` (the payment's id when the related object is a payment intent).
    case forwardOriginal(orderingKey: String?)
}
