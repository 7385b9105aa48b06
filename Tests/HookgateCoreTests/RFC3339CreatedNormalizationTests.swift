import Foundation
import HookgateCore
import Testing

/// A snapshot event whose `created` is an RFC 3339 time (as thin events carry it) normalizes as with Unix
/// seconds; a string that is no such time is an error at `$.created`.
struct RFC3339CreatedNormalizationTests {
    static func event(created: String) throws -> [UInt8] {
        let text = String(decoding: Fixtures.bytes("stripe-events/payment_intent.succeeded.json"), as: UTF8.self)
        let match = try #require(text.firstMatch(of: /"created": *[0-9]+/))
        return Array(text.replacingCharacters(in: match.range, with: "\"created\": \(created)").utf8)
    }

    /// The same event with `created` as seconds and as the RFC 3339 time of those seconds normalizes alike.
    @Test func anRFC3339CreatedIsTheSameTime() throws {
        let seconds = try StripeEventNormalizer.normalize(
            body: try Self.event(created: "1795677832"),
            options: NormalizationOptions()
        )
        let text = try StripeEventNormalizer.normalize(
            body: try Self.event(created: "\"2026-11-26T07:23:52.250Z\""),
            options: NormalizationOptions()
        )
        #expect(text == seconds)
    }

    /// A string that is no RFC 3339 time is an invalid field at `$.created`.
    @Test func anotherStringIsAnError() throws {
        let body = try Self.event(created: "\"yesterday\"")
        do throws(NormalizationError) {
            _ = try StripeEventNormalizer.normalize(body: body, options: NormalizationOptions())
            Issue.record("normalized")
        } catch {
            #expect(error.code == .invalidField)
            #expect(error.path?.description == "$.created")
        }
    }
}
