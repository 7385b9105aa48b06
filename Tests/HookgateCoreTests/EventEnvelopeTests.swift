import Foundation
import HookgateCore
import Testing

struct EventEnvelopeTests {
    private func read(_ text: String) -> EventEnvelope? {
        EventEnvelope.read(Array(text.utf8))
    }

    /// The envelope of `Tests/Fixtures/<path>`, and the fixture as Foundation's decoder reads it.
    private func readFixture(_ path: String) throws -> (EventEnvelope, [String: Any]) {
        let bytes = Fixtures.bytes(path)
        let envelope = try #require(EventEnvelope.read(bytes))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        return (envelope, object)
    }

    /// The fixtures of real Stripe events are read like a full decoder reads them.
    @Test(arguments: [
        "payment_intent.succeeded.json", "payment_intent.payment_failed.json", "charge.refunded.json",
        "invoice.paid.json",
    ])
    func readsStripeFixtures(_ name: String) throws {
        let (envelope, object) = try self.readFixture(name)
        #expect(envelope.id == object["id"] as? String)
        #expect(envelope.type == object["type"] as? String)
        #expect(envelope.created == (object["created"] as? NSNumber)?.int64Value)
        #expect(envelope.livemode == (object["livemode"] as? Bool))
    }

    /// Thin events (Stripe's event destinations) are events too: their `created` is an RFC 3339 time, read as
    /// Unix seconds with the fraction dropped.
    @Test(arguments: [
        ("v1.billing.meter.error_report_triggered.json", Int64(1_796_192_452)),
        ("v1.payment_intent.succeeded.json", Int64(1_796_192_453)),
        ("v2.core.event_destination.ping.json", Int64(1_796_192_467)),
    ])
    func readsThinEvents(_ name: String, created: Int64) throws {
        let (envelope, object) = try self.readFixture("thin-events/\(name)")
        #expect(envelope.id == object["id"] as? String)
        #expect(envelope.type == String(name.dropLast(".json".count)))
        #expect(envelope.created == created)
        #expect(envelope.livemode == false)
    }

    /// A string `created` is a time only when it is RFC 3339, with an offset.
    @Test func aCreatedStringMustBeAnRFC3339Time() {
        #expect(self.read(#"{"id":"e","type":"t","created":"2026-12-02T06:20:52Z"}"#)?.created == 1_796_192_452)
        #expect(self.read(#"{"id":"e","type":"t","created":"2026-12-02T07:20:52.9+01:00"}"#)?.created == 1_796_192_452)
        for text in ["2026-12-02", "2026-12-02T06:20:52", "yesterday", "", "2026-13-02T06:20:52Z"] {
            #expect(self.read(#"{"id":"e","type":"t","created":"\#(text)"}"#) == nil, "\(text)")
        }
    }

    /// Members inside nested objects, arrays and strings are never taken for top-level ones.
    @Test func skipsNestedValuesAndStrings() {
        let json = """
            {"data":{"object":{"id":"pi_1","type":"x","created":1}},"list":[{"id":"no"},[1,2,{"type":"t"}]],
             "text":"a \\"id\\": \\"fake\\" } ] \\\\","id":"evt_1","type":"payment_intent.succeeded",
             "created":1700000000,"n":-1.5e3,"z":null,"b":true,"livemode":false}
            """
        #expect(
            self.read(json)
                == EventEnvelope(id: "evt_1", type: "payment_intent.succeeded", created: 1_700_000_000, livemode: false)
        )
    }

    /// Escapes in values and member names are decoded.
    @Test func decodesEscapes() {
        let envelope = self.read(#"{"i\u0064":"evt_\u00e9\ud83d\ude00","type":"a\/b\n","created":0}"#)
        #expect(envelope?.id == "evt_é😀")
        #expect(envelope?.type == "a/b\n")
        #expect(envelope?.livemode == nil)
    }

    /// Documents that are no event, or no valid JSON object, are rejected.
    @Test(arguments: [
        "", "[]", "null", "{}", #"{"id":"evt_1","type":"t"}"#, #"{"id":"evt_1","created":1}"#,
        #"{"type":"t","created":1}"#, #"{"id":"","type":"t","created":1}"#, #"{"id":1,"type":"t","created":1}"#,
        #"{"id":"e","type":"t","created":"1"}"#, #"{"id":"e","type":"t","created":1.5}"#,
        #"{"id":"e","type":"t","created":1e3}"#, #"{"id":"e","type":"t","created":01}"#,
        #"{"id":"e","type":"t","created":1,"livemode":"true"}"#, #"{"id":"e","type":"t","created":1,}"#,
        #"{"id":"e","type":"t","created":1} x"#, #"{"id":"e","type":"t","created":1"#,
        #"{"id":"e","id":"f","type":"t","created":1}"#, #"{"id":"e","type":"t","created":1,"x":[1,2}"#,
        #"{"id":"e","type":"t","created":1,"x":"unterminated}"#, #"{"id":"e","type":"t","created":1,"x":]}"#,
        #"{"id":"e","type":"t","created":99999999999999999999}"#, "{\"id\":\"e\u{1}\",\"type\":\"t\",\"created\":1}",
        // U+0000, which PostgreSQL keeps in no text column, in the id or the type.
        #"{"id":"evt_\u0000","type":"t","created":1}"#, #"{"id":"e","type":"t\u0000","created":1}"#,
    ])
    func rejectsNonEvents(_ text: String) {
        #expect(self.read(text) == nil)
    }

    /// Nesting is bounded.
    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(self.read(#"{"id":"e","type":"t","created":1,"x":\#(deep)}"#) == nil)
        let shallow = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(self.read(#"{"id":"e","type":"t","created":1,"x":\#(shallow)}"#) != nil)
    }

    /// Negative and zero timestamps and whitespace everywhere are fine.
    @Test func acceptsWhitespaceAndSigns() {
        let envelope = self.read(" \n{ \"created\" :\t-5 , \"type\" : \"t\" ,\"livemode\": true, \"id\" : \"e\" }\r\n")
        #expect(envelope == EventEnvelope(id: "e", type: "t", created: -5, livemode: true))
    }
}
