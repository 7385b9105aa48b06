import HookgateCore
import HookgateTestSupport
import Testing

/// The outcome of normalizing `body`; every forwarded catalog event is checked against its schema.
func normalized(
    _ body: [UInt8],
    options: NormalizationOptions = NormalizationOptions(),
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> NormalizationOutcome {
    let outcome = try StripeEventNormalizer.normalize(body: body, options: options)
    if case .forward(let events) = outcome {
        for event in events where CatalogEventType(rawValue: event.type) != nil {
            CatalogSchemas.expectValid(event, sourceLocation: sourceLocation)
        }
    }
    return outcome
}

/// The events forwarded for `body`; a test failure when it is skipped.
func forwarded(
    _ body: [UInt8],
    options: NormalizationOptions = NormalizationOptions(),
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [NormalizedEvent] {
    let outcome = try normalized(body, options: options, sourceLocation: sourceLocation)
    guard case .forward(let events) = outcome else {
        Issue.record("expected events to forward, got \(outcome)", sourceLocation: sourceLocation)
        return []
    }
    return events
}

/// Why `body` is skipped; `nil` (and a test failure) when it is forwarded.
func skipCode(
    _ body: [UInt8],
    options: NormalizationOptions = NormalizationOptions(),
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> SkipReason.Code? {
    let outcome = try normalized(body, options: options, sourceLocation: sourceLocation)
    guard case .skip(let reason) = outcome else {
        Issue.record("expected a skip, got \(outcome)", sourceLocation: sourceLocation)
        return nil
    }
    return reason.code
}

/// The error normalizing `body` throws; `nil` when it does not throw.
func normalizationError(_ body: [UInt8], options: NormalizationOptions = NormalizationOptions()) -> NormalizationError?
{
    do {
        _ = try StripeEventNormalizer.normalize(body: body, options: options)
        return nil
    } catch {
        return error
    }
}

/// The CloudEvent of `event`, parsed.
func cloudEvent(_ event: NormalizedEvent) throws -> JSONValue {
    try JSONValueParser.parse(event.body)
}

/// A Stripe event of `type` around `object` (JSON text).
func stripeEvent(
    _ type: String,
    object: String,
    id: String = "evt_1",
    apiVersion: String? = "2024-06-20",
    account: String? = nil,
    livemode: Bool = false
) -> [UInt8] {
    let accountMember = account.map { "\"account\": \"\($0)\", " } ?? ""
    let version = apiVersion.map { "\"\($0)\"" } ?? "null"
    return Array(
        """
        {"id": "\(id)", "object": "event", \(accountMember)"api_version": \(version), "created": 1700000000,
         "data": {"object": \(object)}, "livemode": \(livemode), "type": "\(type)"}
        """.utf8
    )
}
