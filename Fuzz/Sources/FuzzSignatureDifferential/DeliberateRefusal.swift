/// The headers Hookgate refuses on purpose although some SDK accepts them: each case is a decided divergence,
/// described with its reason in Fuzz/README.md. They are read from the header itself (items split at `,`, the key
/// before the first `=`), never from what Hookgate answered.
enum DeliberateRefusal: String, CaseIterable {
    /// A `t` whose value is not 1 to 16 ASCII digits without a leading zero, at most 2^53 - 1: Python's `int()`,
    /// JavaScript's `parseInt`, Go's `ParseInt` and Ruby's `Integer()` each accept other forms, and read them
    /// differently (Ruby reads `0123` as octal; Node rounds above 2^53).
    case timestampNotCanonical
    /// Two `t` items with different values: Python and Ruby take the first, Node and Go the last.
    case differentTimestamps
    /// An item without `=` or with more than one: Go refuses the header, the others read it each their way.
    case itemNotKeyValue
    /// A `v1` item with an empty value: Node throws, the others compare it.
    case emptySignature
    /// A `v1` value with non-ASCII characters: Python's `compare_digest` raises TypeError, Node's
    /// `timingSafeEqual` throws for some, Go and Ruby compare it.
    case nonASCIISignature
    /// An item whose key is ASCII white space and then `t` or `v1`: only Ruby (`split(/,\s*/)`) reads it.
    case whitespaceBeforeKey
    /// No `t` item: Go without a tolerance signs year 1 (-62135596800), Ruby may read a `t` after white space.
    case noTimestamp
    /// A `v1` in hex with upper-case digits: only Go decodes hex; the others compare the text. Go only.
    case uppercaseHexSignature
    /// More than 300 s in the future while a tolerance applies: no SDK checks the future.
    case futureTimestamp
    /// Over 4,096 bytes: Hookgate's bound on the value it reads.
    case tooLong
    /// More than 16 `v1` items: Hookgate's bound on the signatures it compares.
    case tooManySignatures

    /// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
    static let largestTimestamp: Int64 = 9_007_199_254_740_991

    /// The cases `header` falls in, for a refusal by Hookgate where `sdk` accepted it signing `timestamp`, at
    /// `now` (nil when no tolerance applies).
    static func cases(of header: [UInt8], sdk: SDK, timestamp: String, now: Int64?) -> [DeliberateRefusal] {
        let items = header.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { item in
            let equals = item.firstIndex(of: UInt8(ascii: "="))
            return (key: item[..<(equals ?? item.endIndex)], value: equals.map { item[($0 + 1)...] }, item: item)
        }
        let timestamps = items.filter { $0.key.elementsEqual("t".utf8) }.map { $0.value }
        let signatures = items.filter { $0.key.elementsEqual("v1".utf8) }.compactMap { $0.value }
        let spaces = Set(" \t\n\u{0B}\u{0C}\r".utf8)
        func isPadded(_ key: ArraySlice<UInt8>) -> Bool {
            let trimmed = key.drop { spaces.contains($0) }
            return trimmed.count < key.count && (trimmed.elementsEqual("t".utf8) || trimmed.elementsEqual("v1".utf8))
        }
        var found: [DeliberateRefusal] = []
        func add(_ refusal: DeliberateRefusal, when condition: Bool) { if condition { found.append(refusal) } }
        add(.timestampNotCanonical, when: timestamps.contains { $0.map(isCanonicalTimestamp) != true })
        add(.differentTimestamps, when: Set(timestamps.map { $0.map(Array.init) ?? [] }).count > 1)
        add(.itemNotKeyValue, when: items.contains { $0.item.count { $0 == UInt8(ascii: "=") } != 1 })
        add(.emptySignature, when: signatures.contains { $0.isEmpty })
        add(.nonASCIISignature, when: signatures.contains { $0.contains { $0 >= 0x80 } })
        add(.whitespaceBeforeKey, when: items.contains { isPadded($0.key) })
        add(.noTimestamp, when: timestamps.isEmpty)
        add(
            .uppercaseHexSignature,
            when: sdk == .go
                && signatures.contains {
                    isLowercaseHexSignature($0.map(lowercased)[...]) && $0.contains { (0x41...0x46).contains($0) }
                }
        )
        add(
            .futureTimestamp,
            when: now.map { now in Int64(timestamp).map { $0 - now > sdkTolerance } ?? false } ?? false
        )
        add(.tooLong, when: header.count > 4096)
        add(.tooManySignatures, when: items.count { $0.key.elementsEqual("v1".utf8) } > 16)
        return found
    }

    /// Whether `value` is 1 to 16 ASCII digits, without a leading zero (unless it is "0"), at most 2^53 - 1.
    static func isCanonicalTimestamp(_ value: ArraySlice<UInt8>) -> Bool {
        guard (1...16).contains(value.count), value.allSatisfy({ (0x30...0x39).contains($0) }),
            value.first != UInt8(ascii: "0") || value.count == 1
        else { return false }
        return value.reduce(0) { $0 * 10 + Int64($1 - 0x30) } <= largestTimestamp
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
