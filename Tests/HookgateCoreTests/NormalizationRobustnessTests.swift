import HookgateCore
import Testing

/// Malformed, truncated, mistyped and hostile bodies end in an error or a skip, never in a trap.
@Suite("Normalization of malformed input")
struct NormalizationRobustnessTests {
    private static let fixtureNames = [
        "charge.refunded", "customer.created", "invoice.paid", "payment_intent.payment_failed",
        "payment_intent.succeeded", "refund.updated",
    ]
    private static let everything = NormalizationOptions(forwardUnmapped: true)

    @Test func notJSON() {
        for body in ["", "nul", "[1,", "{\"id\": \"evt\"", "\u{FF}"] {
            #expect(normalizationError(Array(body.utf8))?.code == .notJSON)
        }
    }

    @Test func notAnEvent() {
        for body in ["[]", "42", "{}", #"{"id": 5}"#, #"{"id": "e", "type": "t", "created": 1}"#] {
            let error = normalizationError(Array(body.utf8))
            #expect(error != nil)
            #expect(error?.code != .notJSON)
        }
    }

    @Test(arguments: fixtureNames)
    func everyTruncationOfAFixtureIsNotJSON(name: String) {
        let bytes = Fixtures.bytes("stripe-events/\(name).json")
        let whole = bytes.count - 1  // Without the final newline the document is still complete.
        for length in 0..<whole {
            #expect(normalizationError(Array(bytes[..<length]), options: Self.everything)?.code == .notJSON)
        }
    }

    @Test func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(normalizationError(Array(deep.utf8))?.code == .notJSON)
        let object = stripeEvent(
            "payment_intent.succeeded",
            object: String(repeating: "{\"a\":", count: 70) + "1" + String(repeating: "}", count: 70)
        )
        #expect(normalizationError(object)?.code == .notJSON)
    }

    /// Every member of each fixture's object replaced by each JSON type: no trap, and whatever is forwarded
    /// still matches its schema.
    @Test(arguments: fixtureNames)
    func everyMemberWithEveryType(name: String) throws {
        let document = try JSONValueParser.parse(Fixtures.bytes("stripe-events/\(name).json"))
        let replacements: [JSONValue] = [
            .null, .bool(true), .integer(-1), .number(1.5), .string(""), .array([]), .object([]),
        ]
        var outcomes = 0
        for path in Self.memberPaths(of: document, depth: 3) {
            for replacement in replacements {
                let mutated = Self.replacing(path, in: document, with: replacement)
                if (try? normalized(Array(mutated.serialized().utf8), options: Self.everything)) != nil {
                    outcomes += 1
                }
            }
        }
        #expect(outcomes > 0)
    }

    /// Random byte flips of each fixture: no trap.
    @Test(arguments: fixtureNames)
    func randomByteFlips(name: String) {
        let bytes = Fixtures.bytes("stripe-events/\(name).json")
        var generator = SplitMix64(seed: 5)
        for _ in 0..<2_000 {
            var mutated = bytes
            for _ in 0..<3 {
                mutated[Int(generator.next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = try? normalized(mutated, options: Self.everything)
        }
    }

    @Test func timesOutsideRFC3339AreErrors() {
        for created in ["-1", "253402300800", "9223372036854775807"] {
            let body = #"{"id": "evt", "type": "x", "created": \#(created), "livemode": false, "data": {"object": {}}}"#
            let error = normalizationError(Array(body.utf8), options: Self.everything)
            #expect(error?.code == .invalidField)
            #expect(error?.path?.description == "$.created")
        }
    }

    private static func memberPaths(of value: JSONValue, depth: Int, prefix: [String] = []) -> [[String]] {
        guard depth > 0, case .object(let members) = value else { return [] }
        return members.flatMap { member in
            [prefix + [member.key]]
                + self.memberPaths(of: member.value, depth: depth - 1, prefix: prefix + [member.key])
        }
    }

    private static func replacing(_ path: [String], in value: JSONValue, with replacement: JSONValue) -> JSONValue {
        guard let key = path.first, case .object(let members) = value else { return replacement }
        return .object(
            members.map { member in
                member.key == key
                    ? JSONValue.Member(
                        key: key,
                        value: self.replacing(Array(path.dropFirst()), in: member.value, with: replacement)
                    )
                    : member
            }
        )
    }
}

/// A small deterministic random number generator for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
