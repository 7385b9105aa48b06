/// The top-level fields of a webhook event that the ingress needs before storing it: `id`, `type`,
/// `created` and `livemode`, read in one pass over the raw bytes without decoding the rest.
///
/// Both of Stripe's payload families are events: a snapshot event's `created` is Unix seconds, a thin event's
/// (an event destination's `v2.core.event`) an RFC 3339 time such as `2026-12-02T06:20:52.246Z`.
///
/// The reader walks the whole document once: strings are skipped escape-aware, nested objects and arrays are
/// skipped by bracket matching, and anything that is not one well-formed JSON object is rejected. Nested
/// values are not validated in full (numbers and literals inside them are only delimited); the delivery
/// worker parses the event completely later.
public struct EventEnvelope: Sendable, Hashable {
    /// The event id, e.g. `evt_1NG8Du2eZvKYlo2CUI79vXWy`.
    public var id: String
    /// The event type, e.g. `payment_intent.succeeded`.
    public var type: String
    /// The event's `created` time, Unix seconds (a thin event's fraction of a second dropped).
    public var created: Int64
    /// The event's `livemode`, if the member is present.
    public var livemode: Bool?

    public init(id: String, type: String, created: Int64, livemode: Bool?) {
        self.id = id
        self.type = type
        self.created = created
        self.livemode = livemode
    }

    /// Nesting deeper than this is rejected (it is no event, and it bounds the work).
    public static let maximumDepth = 64

    /// Reads the envelope of `json`.
    /// - Returns: `nil` when the bytes are not one JSON object with a non-empty string `id`, a string `type`
    ///   and a `created` that is an integer or an RFC 3339 string (and, if present, a boolean `livemode`), or
    ///   when one of these members appears twice. An `id` or `type` holding U+0000 (`\u0000`) is refused too:
    ///   PostgreSQL keeps no NUL in text, and such a delivery would fail the commit of every other one
    ///   group-committed with it.
    public static func read(_ json: UnsafeRawBufferPointer) -> EventEnvelope? {
        var reader = EnvelopeReader(json.bindMemory(to: UInt8.self))
        return reader.readEnvelope()
    }

    /// Reads the envelope of JSON held in an array.
    public static func read(_ json: [UInt8]) -> EventEnvelope? {
        json.withUnsafeBytes { self.read($0) }
    }
}

/// The scanner behind ``EventEnvelope/read(_:)-(UnsafeRawBufferPointer)``.
private struct EnvelopeReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private enum Member {
        case id, type, created, livemode, other
    }

    mutating func readEnvelope() -> EventEnvelope? {
        var id: String?
        var type: String?
        var created: Int64?
        var livemode: Bool?
        var sawLivemode = false

        self.skipWhitespace()
        guard self.consume(UInt8(ascii: "{")) else { return nil }
        self.skipWhitespace()
        if !self.consume(UInt8(ascii: "}")) {
            while true {
                guard let member = self.readMemberName() else { return nil }
                self.skipWhitespace()
                guard self.consume(UInt8(ascii: ":")) else { return nil }
                self.skipWhitespace()
                switch member {
                case .id:
                    guard id == nil, let value = self.readString(), !value.isEmpty else { return nil }
                    id = value
                case .type:
                    guard type == nil, let value = self.readString() else { return nil }
                    type = value
                case .created:
                    guard created == nil, let value = self.readTime() else { return nil }
                    created = value
                case .livemode:
                    guard !sawLivemode, let value = self.readBool() else { return nil }
                    sawLivemode = true
                    livemode = value
                case .other:
                    guard self.skipValue() else { return nil }
                }
                self.skipWhitespace()
                if self.consume(UInt8(ascii: ",")) {
                    self.skipWhitespace()
                    continue
                }
                guard self.consume(UInt8(ascii: "}")) else { return nil }
                break
            }
        }
        self.skipWhitespace()
        guard self.index == self.bytes.count, let id, let type, let created else { return nil }
        return EventEnvelope(id: id, type: type, created: created, livemode: livemode)
    }

    // MARK: Members

    private mutating func readMemberName() -> Member? {
        let start = self.index
        guard let (end, hasEscapes) = self.scanString() else { return nil }
        if hasEscapes {
            // Rare: decode and compare.
            guard let name = Self.decodeString(self.bytes[(start + 1)..<(end - 1)]) else { return nil }
            switch name {
            case "id": return .id
            case "type": return .type
            case "created": return .created
            case "livemode": return .livemode
            default: return .other
            }
        }
        let name = UnsafeBufferPointer(rebasing: self.bytes[(start + 1)..<(end - 1)])
        switch name.count {
        case 2 where name[0] == UInt8(ascii: "i") && name[1] == UInt8(ascii: "d"): return .id
        case 4 where name.elementsEqual("type".utf8): return .type
        case 7 where name.elementsEqual("created".utf8): return .created
        case 8 where name.elementsEqual("livemode".utf8): return .livemode
        default: return .other
        }
    }

    // MARK: Values

    /// A string value; nil when it holds U+0000. A raw control byte is refused by the scan, so only an escape
    /// (`\u0000`) can make one, and only escaped strings are checked.
    private mutating func readString() -> String? {
        let start = self.index
        guard let (end, hasEscapes) = self.scanString() else { return nil }
        let content = self.bytes[(start + 1)..<(end - 1)]
        if hasEscapes { return Self.decodeString(content).flatMap { $0.utf8.contains(0) ? nil : $0 } }
        return String(validating: UnsafeBufferPointer(rebasing: content), as: UTF8.self)
    }

    /// An integer, or an RFC 3339 string (a thin event's `created`), as Unix seconds.
    private mutating func readTime() -> Int64? {
        guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
            return self.readInteger()
        }
        return self.readString().flatMap(UnixTime.parseRFC3339)
    }

    private mutating func readInteger() -> Int64? {
        var value: Int64 = 0
        var negative = false
        if self.consume(UInt8(ascii: "-")) { negative = true }
        let start = self.index
        while self.index < self.bytes.count, let digit = Self.digit(self.bytes[self.index]) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = plus
            self.index += 1
        }
        let digits = self.index - start
        guard digits > 0, digits == 1 || self.bytes[start] != UInt8(ascii: "0") else { return nil }
        // A fraction or exponent makes it no integer.
        if self.index < self.bytes.count, Self.isNumberByte(self.bytes[self.index]) { return nil }
        return negative ? -value : value
    }

    private mutating func readBool() -> Bool? {
        if self.consumeLiteral("true") { return true }
        if self.consumeLiteral("false") { return false }
        return nil
    }

    /// Skips any JSON value, nested containers included, without recursion.
    private mutating func skipValue() -> Bool {
        var depth = 0
        // Whether the next token in the current container is a value (true) or a member name (false).
        var expectingValue = true
        repeat {
            self.skipWhitespace()
            guard self.index < self.bytes.count else { return false }
            let byte = self.bytes[self.index]
            switch byte {
            case UInt8(ascii: "\""):
                guard let (end, _) = self.scanString() else { return false }
                self.index = end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard expectingValue else { return false }
                depth += 1
                guard depth <= EventEnvelope.maximumDepth else { return false }
                self.index += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return false }
                depth -= 1
                self.index += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { return false }
                self.index += 1
                expectingValue = true
                continue
            default:
                guard expectingValue, self.skipScalar() else { return false }
            }
            expectingValue = false
        } while depth > 0
        return true
    }

    /// Skips a number or a literal (`true`, `false`, `null`).
    private mutating func skipScalar() -> Bool {
        if self.consumeLiteral("true") || self.consumeLiteral("false") || self.consumeLiteral("null") {
            return true
        }
        let start = self.index
        while self.index < self.bytes.count, Self.isNumberByte(self.bytes[self.index]) { self.index += 1 }
        return self.index > start
    }

    // MARK: Scanning

    /// Scans the string starting at `index` (which must be a quote) and moves past its closing quote.
    /// - Returns: the index after the closing quote and whether the string has escapes; `nil` if unterminated
    ///   or holding raw control characters.
    private mutating func scanString() -> (end: Int, hasEscapes: Bool)? {
        guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else { return nil }
        var position = self.index + 1
        var hasEscapes = false
        while position < self.bytes.count {
            let byte = self.bytes[position]
            if byte == UInt8(ascii: "\"") {
                self.index = position + 1
                return (position + 1, hasEscapes)
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                position += 2
                continue
            }
            if byte < 0x20 { return nil }
            position += 1
        }
        return nil
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): self.index += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    private mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.bytes.count - self.index >= count else { return false }
        let matches = literal.withUTF8Buffer { literalBytes in
            UnsafeBufferPointer(rebasing: self.bytes[self.index..<(self.index + count)]).elementsEqual(literalBytes)
        }
        guard matches else { return false }
        self.index += count
        return true
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }

    private static func hexValue(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Decodes the content of a JSON string (without quotes) that has escapes.
    private static func decodeString(_ content: Slice<UnsafeBufferPointer<UInt8>>) -> String? {
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var position = content.startIndex
        func flush() -> Bool {
            guard !utf8.isEmpty else { return true }
            guard let text = String(validating: utf8, as: UTF8.self) else { return false }
            scalars.append(contentsOf: text.unicodeScalars)
            utf8.removeAll(keepingCapacity: true)
            return true
        }
        func hex4(at start: Int) -> UInt32? {
            guard start + 4 <= content.endIndex else { return nil }
            var value: UInt32 = 0
            for byte in content[start..<(start + 4)] {
                guard let nibble = Self.hexValue(of: byte) else { return nil }
                value = value << 4 | UInt32(nibble)
            }
            return value
        }
        while position < content.endIndex {
            let byte = content[position]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                position += 1
                continue
            }
            guard position + 1 < content.endIndex, flush() else { return nil }
            let escaped = content[position + 1]
            position += 2
            switch escaped {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                guard var code = hex4(at: position) else { return nil }
                position += 4
                if (0xD800..<0xDC00).contains(code) {
                    guard position + 6 <= content.endIndex, content[position] == UInt8(ascii: "\\"),
                        content[position + 1] == UInt8(ascii: "u"), let low = hex4(at: position + 2),
                        (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    position += 6
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { return nil }
                scalars.append(scalar)
            default: return nil
            }
        }
        guard flush() else { return nil }
        return String(scalars)
    }
}
