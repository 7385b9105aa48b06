import HookgateCore
import Testing

/// Runs ``StripeEventNormalizer`` and the frozen ``OracleNormalizer`` side by side.
enum NormalizationDifferential {
    /// What normalizing `body` gives: the outcome or the error.
    typealias Result = Swift.Result<NormalizationOutcome, NormalizationError>

    /// Every options variant the Core tests use, plus variants that send each fixture's type to each catalog
    /// type and one whose order key only equals a document's key under canonical equivalence.
    static let options: [NormalizationOptions] =
        [
            NormalizationOptions(),
            NormalizationOptions(forwardUnmapped: true),
            NormalizationOptions(orderIdMetadataKey: "shop_order", dataschemaBase: "https://example.com/s/"),
            NormalizationOptions(
                mapping: .default.overriding(with: [
                    "charge.captured": .catalog(.paymentSucceeded), "payment_intent.succeeded": .skip,
                    "payment_intent.canceled": .catalog(.paymentFailed),
                ])
            ),
            NormalizationOptions(mapping: EventMapping(targets: ["x.y": .catalog(.refundProcessed)])),
            NormalizationOptions(orderIdMetadataKey: "\u{212A}"),
        ] + Self.crossMapped

    /// Each Stripe type of the fixtures (and of the hand-written events) mapped to one catalog type.
    static let crossMapped: [NormalizationOptions] = CatalogEventType.allCases.map { type in
        let stripeTypes = [
            "charge.refunded", "customer.created", "invoice.paid", "payment_intent.payment_failed",
            "payment_intent.succeeded", "refund.updated", "x.y",
        ]
        return NormalizationOptions(
            mapping: EventMapping(targets: Dictionary(uniqueKeysWithValues: stripeTypes.map { ($0, .catalog(type)) })),
            forwardUnmapped: true
        )
    }

    /// The options variants a mutation numbered `number` runs with when running all of them costs too much:
    /// the default, forwarding unmapped types, and one cross mapping in turn.
    static func someOptions(_ number: Int) -> [NormalizationOptions] {
        [Self.options[0], Self.options[1], Self.crossMapped[number % Self.crossMapped.count]]
    }

    /// The result of `normalize` on `body`.
    static func result(
        _ body: [UInt8],
        options: NormalizationOptions,
        _ normalize: ([UInt8], NormalizationOptions) throws(NormalizationError) -> NormalizationOutcome
    ) -> Result {
        do {
            return .success(try normalize(body, options))
        } catch {
            return .failure(error)
        }
    }

    /// Records an issue when the new normalizer's outcome or error for `body` differs from the oracle's.
    /// - Returns: the (equal) result.
    @discardableResult
    static func expectSame(
        _ body: [UInt8],
        options: NormalizationOptions,
        _ what: @autoclosure () -> String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Result {
        let new = Self.result(body, options: options, StripeEventNormalizer.normalize)
        let old = Self.result(body, options: options, OracleNormalizer.normalize)
        if new != old {
            Issue.record(
                "\(what()): new \(new) != old \(old) for \(String(decoding: body.prefix(300), as: UTF8.self))",
                sourceLocation: sourceLocation
            )
        }
        return new
    }

    /// A Stripe event of type `x.y` (or `type`) whose `data.object` is `object` (JSON text).
    static func event(object: String, type: String = "x.y") -> [UInt8] {
        Array(
            #"{"id": "evt_1", "type": "\#(type)", "created": 1700000000, "livemode": false, "api_version": "2024-06-20", "data": {"object": \#(object)}}"#
                .utf8
        )
    }
}
