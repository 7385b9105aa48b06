/// Turns a stored Stripe event (its raw, verified body) into CloudEvents 1.0 structured JSON events of the
/// payment catalog, following an endpoint's ``NormalizationOptions``. Pure: no I/O, no clock.
///
/// The rules, per catalog type (whatever Stripe type maps to it):
/// - `payment-succeeded` / `payment-failed` from a payment intent, or from a charge without a payment intent
///   (a charge with one is skipped: the payment intent's event covers it);
/// - `refund-processed` from a refund whose status is `succeeded`, or from a charge: one event per succeeded
///   refund it lists, with id `<event id>:<refund id>`. A refund without `status` counts as succeeded only in
///   events of APIs before 2014-06-17, which had no refund statuses and listed a refund once it was done.
public enum StripeEventNormalizer {
    /// Bounds for parsing a stored body: the largest body an endpoint accepts, 64 levels of nesting.
    public static let documentLimits = JSONValueParser.Limits(
        maximumDepth: 64,
        maximumBytes: GatewayLimits.largestBodyLimit
    )

    /// Normalizes one stored Stripe event.
    /// - Returns: the events to forward, or why none is.
    /// - Throws: ``NormalizationError`` when the body is not JSON or lacks a field its event type needs;
    ///   never traps, whatever the bytes.
    public static func normalize(
        body: [UInt8],
        options: NormalizationOptions
    ) throws(NormalizationError) -> NormalizationOutcome {
        let document: JSONIndex
        do {
            document = try JSONIndex(parsing: body, limits: Self.documentLimits)
        } catch {
            throw NormalizationError(code: .notJSON, reason: "the body is not JSON: \(error.description)")
        }
        // A top-level `object` that is not a string is no thin event's (snapshot events are read as before).
        let root = try StripeObjectReader(document, node: JSONIndex.root, at: .root)
        if (try? root.optionalString("object")) == Self.thinEventObject {
            return .forwardOriginal(orderingKey: Self.paymentKey(ofThinEvent: root))
        }
        let event = try StripeEvent(document)
        switch options.mapping.target(forStripeType: event.type) {
        case .skip:
            return .skip(SkipReason(code: .mappedToSkip, message: "the endpoint's mapping skips \(event.type)"))
        case nil where options.forwardUnmapped:
            return .forward([try Self.unmappedEvent(event)])
        case nil:
            return .skip(
                SkipReason(code: .unmappedType, message: "\(event.type) maps to no catalog event")
            )
        case .catalog(let type):
            let normalizer = CatalogEventNormalizer(event: event, options: options)
            switch type {
            case .paymentSucceeded, .paymentFailed: return try normalizer.payment(type)
            case .refundProcessed: return try normalizer.refunds()
            }
        }
    }

    /// The `object` of a thin event (Stripe's event destinations), which carries `related_object` instead of
    /// `data.object`.
    static let thinEventObject = "v2.core.event"

    /// The payment a thin event is about, when its related object is a payment intent (its id a string).
    private static func paymentKey(ofThinEvent root: StripeObjectReader) -> String? {
        guard let related = try? root.optionalObject("related_object"),
            (try? related.optionalString("type")) == "payment_intent"
        else { return nil }
        return try? related.optionalString("id")
    }

    /// An unmapped event forwarded as `stripe.<type>` with the raw object as data.
    private static func unmappedEvent(_ event: StripeEvent) throws(NormalizationError) -> NormalizedEvent {
        let subject = try? event.object.optionalString("id")
        return NormalizedEvent(
            id: event.id,
            type: "stripe." + event.type,
            subject: subject,
            orderingKey: CatalogEventNormalizer.paymentKey(of: event.object),
            factKey: nil,
            supersededByFactKey: nil,
            created: event.created,
            body: event.cloudEvent(
                id: event.id,
                type: "stripe." + event.type,
                subject: subject,
                dataschema: nil,
                data: event.object.value
            )
        )
    }
}
