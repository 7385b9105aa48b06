import HookgateCore
import Testing

struct JSONLayoutTests {
    @Test(arguments: ["payment_intent.succeeded.json", "charge.refunded.json", "invoice.paid.json"])
    func keepsEveryTokenByteForByte(_ name: String) {
        let original = Fixtures.bytes(name)
        let compact = JSONLayout.compact.apply(to: original)!
        let pretty = JSONLayout.stripePretty.apply(to: compact)!
        #expect(JSONLayout.compact.apply(to: pretty) == compact)
        #expect(!compact.contains(UInt8(ascii: "\n")))
        // Only whitespace outside strings was removed.
        #expect(compact.count < original.count)
    }

    /// The old-style Stripe layout (empty arrays over a blank line) reproduces a real payload exactly.
    @Test func reproducesAStripePayload() {
        let original = Fixtures.bytes("payment_intent.succeeded.json")
        let layout = JSONLayout(indent: 2, emptyContainers: .blankLine, escapeSlashes: false)
        #expect(layout.apply(to: JSONLayout.compact.apply(to: original)!)! + [UInt8(ascii: "\n")] == original)
    }

    @Test func escapesSlashesOnlyWhenAsked() {
        let json = Array(#"{"url":"/v1/charges","escaped":"a\/b"}"#.utf8)
        let escaped = JSONLayout(indent: nil, emptyContainers: .inline, escapeSlashes: true).apply(to: json)!
        #expect(String(decoding: escaped, as: UTF8.self) == #"{"url":"\/v1\/charges","escaped":"a\/b"}"#)
    }

    @Test func rejectsWhatIsNotJSON() {
        #expect(JSONLayout.compact.apply(to: Array("{\"a\": \"unterminated}".utf8)) == nil)
        #expect(JSONLayout.compact.apply(to: Array("{]]".utf8)) == nil)
        #expect(JSONLayout.compact.apply(to: []) == nil)
    }

    @Test func formatsInstantsAndDurations() {
        #expect(UnixTime.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(UnixTime.rfc3339(1_795_677_832) == "2026-11-26T07:23:52Z")
        #expect(UnixTime.rfc3339(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(HumanDuration.describe(seconds: 42) == "42 s")
        #expect(HumanDuration.describe(seconds: 4213) == "1 h 10 min")
        #expect(HumanDuration.describe(seconds: 0) == "0 s")
    }
}
