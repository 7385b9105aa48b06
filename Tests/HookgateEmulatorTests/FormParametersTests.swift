import HookgateEmulator
import Testing

/// Stripe's form encoding: nested hashes, both list spellings, percent escapes, limits.
struct FormParametersTests {
    /// `metadata[k]`, `expand[]`, `types[0]` and escapes decode as Stripe's SDKs send them.
    @Test func decodesNestedParametersAsStripeSDKsSendThem() throws {
        let form = try #require(
            FormParameters(
                decoding: "amount=2000&metadata%5Border_id%5D=ord+1&metadata[note]=a%26b&expand[]=latest_charge"
                    + "&types[0]=refund.created&types[1]=charge.refunded&confirm=true"
            )
        )
        #expect(form.value("amount") == "2000")
        #expect(form.hash("metadata").map(\.key) == ["order_id", "note"])
        #expect(form.hash("metadata").map(\.value) == ["ord 1", "a&b"])
        #expect(form.list("expand") == ["latest_charge"])
        #expect(form.list("types") == ["refund.created", "charge.refunded"])
        #expect(form.topLevelNames == ["amount", "metadata", "expand", "types", "confirm"])
    }

    /// The same pairs in another order have the same fingerprint; another value does not.
    @Test func fingerprintIgnoresOrderOnly() throws {
        let first = try #require(FormParameters(decoding: "amount=1&currency=usd"))
        let second = try #require(FormParameters(decoding: "currency=usd&amount=1"))
        let other = try #require(FormParameters(decoding: "currency=usd&amount=2"))
        #expect(first.fingerprint == second.fingerprint)
        #expect(first.fingerprint != other.fingerprint)
    }

    /// A malformed escape and more than the limit of pairs are refused.
    @Test func refusesMalformedEscapesAndTooManyPairs() {
        #expect(FormParameters(decoding: "amount=%G1") == nil)
        #expect(FormParameters(decoding: "amount=%2") == nil)
        let many = (0...FormParameters.maximumCount).map { "k\($0)=v" }.joined(separator: "&")
        #expect(FormParameters(decoding: Substring(many)) == nil)
    }
}
