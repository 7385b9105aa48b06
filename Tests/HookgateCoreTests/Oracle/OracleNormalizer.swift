import HookgateCore

/// The normalizer as it was before the one-pass index (issue 14): parses the whole body into a ``JSONValue``
/// tree, then reads it. Kept frozen in the tests, with the files beside it, as the oracle the differential
/// tests and the benchmark compare ``StripeEventNormalizer`` with; do not change its behaviour.
enum OracleNormalizer {
    /// Normalizes one stored Stripe event.
    /// - Returns: the events to forward, or why none is.
    /// - Throws: ``NormalizationError`` when the body is not JSON or lacks a field its event type needs;
    ///   never traps, whatever the bytes.
    static func normalize(
        body: [UInt8],
        options: NormalizationOptions
    ) throws(NormalizationError) -> NormalizationOutcome {
        let document: JSONValue
        do {
            document = try OracleJSONValueParser.parse(body, limits: StripeEventNormalizer.documentLimits)
        } catch {
            throw NormalizationError(code: .notJSON, reason: "the body is not JSON: \(error.description)")
        }
        let event = try OracleStripeEvent(document)
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
            let normalizer = OracleCatalogNormalizer(event: event, options: options)
            switch type {
            case .paymentSucceeded, .paymentFailed: return try normalizer.payment(type)
            case .refundProcessed: return try normalizer.refunds()
            }
        }
    }

    /// An unmapped event forwarded as `stripe.<type>` with the raw object as data.
    private static func unmappedEvent(_ event: OracleStripeEvent) throws(NormalizationError) -> NormalizedEvent {
        let subject = try? event.object.optionalString("id")
        return NormalizedEvent(
            id: event.id,
            type: "stripe." + event.type,
            subject: subject,
            orderingKey: OracleCatalogNormalizer.paymentKey(of: event.object),
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
