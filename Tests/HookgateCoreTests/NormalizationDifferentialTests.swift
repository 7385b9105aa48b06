import HookgateCore
import Testing

/// The one-pass normalizer gives byte for byte the outcome, and exactly the error, of the tree-based one it
/// replaced (``OracleNormalizer``), on the fixtures and on mutated, truncated and random variants of them.
@Suite("Normalization: one pass against the tree-based oracle")
struct NormalizationDifferentialTests {
    /// Every fixture, laid out as it is, compact, pretty and with escaped slashes, under every options variant.
    @Test(arguments: Fixtures.jsonFiles)
    func everyFixtureUnderEveryOptions(file: String) {
        let bytes = Fixtures.bytes(file)
        let layouts = [
            JSONLayout.compact, .stripePretty, JSONLayout(indent: 2, emptyContainers: .blankLine, escapeSlashes: true),
        ]
        let variants = [bytes] + layouts.compactMap { $0.apply(to: bytes) }
        for (number, variant) in variants.enumerated() {
            for (index, options) in NormalizationDifferential.options.enumerated() {
                NormalizationDifferential.expectSame(
                    variant,
                    options: options,
                    "\(file) layout \(number) options \(index)"
                )
            }
        }
    }

    /// Every value of each event down to five levels replaced by each JSON type, or removed.
    @Test(arguments: Fixtures.stripeEvents)
    func everyValueReplacedOrRemoved(file: String) throws {
        let document = try JSONValueParser.parse(Fixtures.bytes(file))
        let replacements: [JSONValue?] = [
            nil, .null, .bool(true), .bool(false), .integer(-1), .integer(0), .number(19.0), .number(1.5),
            .string(""), .string("usd"), .string("succeeded"), .array([]), .object([]),
            .object([JSONValue.Member(key: "id", value: .string("x_1"))]),
        ]
        var forwarded = 0
        for (number, path) in document.paths(depth: 5).enumerated() {
            for replacement in replacements {
                let body = Array(document.replacing(path[...], with: replacement).serialized().utf8)
                for options in NormalizationDifferential.someOptions(number) {
                    let result = NormalizationDifferential.expectSame(body, options: options, "\(file) \(path)")
                    if case .success(.forward) = result { forwarded += 1 }
                }
            }
        }
        #expect(forwarded > 0)
    }

    /// Every prefix of each event: the same `not_json` error, at the same line and column.
    @Test(arguments: Fixtures.stripeEvents)
    func everyTruncation(file: String) {
        let bytes = Fixtures.bytes(file)
        for length in 0...bytes.count {
            NormalizationDifferential.expectSame(
                Array(bytes[..<length]),
                options: NormalizationDifferential.options[1],
                "\(file) cut at \(length)"
            )
        }
    }

    /// Each byte of one event replaced by every byte value that can matter (structural characters, quotes,
    /// escapes, digits, control characters, UTF-8 lead and continuation bytes).
    @Test func everyPositionWithTelltaleBytes() {
        let bytes = Fixtures.bytes("stripe-events/payment_intent.succeeded.json")
        let telltale = Array("{}[]:,\"\\u0-1eE.tfn /x".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xED, 0xF0, 0xFF]
        for position in bytes.indices {
            for byte in telltale where byte != bytes[position] {
                var mutated = bytes
                mutated[position] = byte
                NormalizationDifferential.expectSame(
                    mutated,
                    options: NormalizationDifferential.options[1],
                    "byte \(byte) at \(position)"
                )
            }
        }
    }

    /// Random byte flips, insertions and deletions of each event.
    @Test(arguments: Fixtures.stripeEvents)
    func randomEdits(file: String) {
        let bytes = Fixtures.bytes(file)
        var generator = SplitMix64(seed: 14)
        for number in 0..<1_500 {
            var mutated = bytes
            for _ in 0..<(1 + number % 3) {
                let position = Int(generator.next() % UInt64(mutated.count))
                let byte = UInt8(truncatingIfNeeded: generator.next())
                switch generator.next() % 3 {
                case 0: mutated[position] = byte
                case 1: mutated.insert(byte, at: position)
                default: mutated.remove(at: position)
                }
            }
            for options in NormalizationDifferential.someOptions(number) {
                NormalizationDifferential.expectSame(mutated, options: options, "\(file) edit \(number)")
            }
        }
    }
}
