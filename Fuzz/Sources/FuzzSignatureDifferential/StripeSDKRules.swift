/// Models of how the official Stripe SDKs read and verify a `Stripe-Signature` header, one per SDK, each quoting
/// the code it follows (the SDKs' default branches as of August 2026). Every model reads the header as the Unicode
/// text Hookgate reads (its bytes decoded as UTF-8) and works on its UTF-8 bytes, so splitting at `,` and `=` is by
/// code point, as in the SDKs, never by grapheme. Nothing here depends on Hookgate.

/// An official SDK whose header rules are modelled.
enum SDK: String, CaseIterable {
    case python, node, go, ruby

    /// The SDK's reading of `header`, or nil where its header parsing refuses it. A header without a `v1` (Go: a
    /// valid one) still reads: the SDK's verification refuses it later.
    func read(_ header: [UInt8]) -> SDKReading? {
        switch self {
        case .python: StripePython.read(header)
        case .node: StripeNode.read(header)
        case .go: StripeGo.read(header)
        case .ruby: StripeRuby.read(header)
        }
    }

    /// The SDK's verification of `header` at `now` (nil: no tolerance asked for, 300 s otherwise), where
    /// `expected(text)` is the lowercase hex HMAC-SHA256 of `"<text>.<body>"` with the secret.
    func verify(_ header: [UInt8], now: Int64?, expected: (String) -> String) -> SDKVerdict {
        switch self {
        case .python: StripePython.verify(header, now: now, expected: expected)
        case .node: StripeNode.verify(header, now: now, expected: expected)
        case .go: StripeGo.verify(header, now: now, expected: expected)
        case .ruby: StripeRuby.verify(header, now: now, expected: expected)
        }
    }
}

/// What an SDK's header parsing yields.
struct SDKReading {
    /// The timestamp as the SDK writes it before the `.` of the signed payload.
    var timestamp: String
    /// The `v1` values that can ever equal a computed signature, as 64 lowercase hex digits. For Go, only those
    /// written in lowercase (Go also decodes upper- and mixed-case hex: a documented divergence).
    var checked: Set<String>
}

/// An SDK's answer: accepted, signing the timestamp as written here, or refused (an error or an exception).
enum SDKVerdict: Equatable {
    case accepted(timestamp: String)
    case refused
}

/// The default tolerance of every SDK, in seconds; none checks timestamps in the future.
let sdkTolerance: Int64 = 300

private let comma = UInt8(ascii: ",")
private let equals = UInt8(ascii: "=")

/// stripe-python, `stripe/_webhook.py`, class `WebhookSignature`.
private enum StripePython {
    /// `_get_timestamp_and_signatures(header, "v1")`, whose exceptions `verify_header` turns into a refusal:
    ///
    ///     list_items = [i.split("=", 2) for i in header.split(",")]
    ///     timestamp = int([i[1] for i in list_items if i[0] == "t"][0])
    ///     signatures = [i[1] for i in list_items if i[0] == scheme]
    ///
    /// An item `t` or `v1` without `=` raises IndexError, so does a header without `t`.
    static func parse(_ header: [UInt8]) -> (timestamp: WideInteger, signatures: [ArraySlice<UInt8>])? {
        var timestamps: [ArraySlice<UInt8>] = []
        var signatures: [ArraySlice<UInt8>] = []
        for item in header.split(separator: comma, omittingEmptySubsequences: false) {
            let parts = item.split(separator: equals, maxSplits: 2, omittingEmptySubsequences: false)
            if parts[0].elementsEqual("t".utf8) {
                guard parts.count > 1 else { return nil }
                timestamps.append(parts[1])
            } else if parts[0].elementsEqual("v1".utf8) {
                guard parts.count > 1 else { return nil }
                signatures.append(parts[1])
            }
        }
        guard let first = timestamps.first, let timestamp = pythonInt(first) else { return nil }
        return (timestamp, signatures)
    }

    static func read(_ header: [UInt8]) -> SDKReading? {
        guard let (timestamp, signatures) = parse(header) else { return nil }
        return SDKReading(timestamp: timestamp.decimal, checked: lowercaseHexValues(signatures))
    }

    /// `verify_header(payload, header, secret, tolerance)`:
    ///
    ///     if not signatures: raise SignatureVerificationError(...)
    ///     signed_payload = "%d.%s" % (timestamp, payload)
    ///     expected_sig = cls._compute_signature(signed_payload, secret)
    ///     if not any(secure_compare(expected_sig, s) for s in signatures): raise ...
    ///     if tolerance and timestamp < time.time() - tolerance: raise ...
    ///
    /// `secure_compare` is `hmac.compare_digest`, which raises TypeError for a `str` with non-ASCII characters;
    /// `any` stops at the first match.
    static func verify(_ header: [UInt8], now: Int64?, expected: (String) -> String) -> SDKVerdict {
        guard let (timestamp, signatures) = parse(header), !signatures.isEmpty else { return .refused }
        let text = timestamp.decimal
        let signature = Array(expected(text).utf8)
        var found = false
        for candidate in signatures {
            guard candidate.allSatisfy({ $0 < 0x80 }) else { return .refused }
            if candidate.elementsEqual(signature) {
                found = true
                break
            }
        }
        guard found else { return .refused }
        if let now, timestamp.isLess(than: now - sdkTolerance) { return .refused }
        return .accepted(timestamp: text)
    }

    /// Python's `int(text)` (base 10), as `PyLong_FromUnicodeObject` reads a `str`: non-ASCII whitespace becomes
    /// a space and a non-ASCII decimal digit its ASCII digit; then ASCII whitespace around, one sign, digits with
    /// single underscores between them, at most 4,300 digits (`sys.int_info.default_max_str_digits`).
    static func pythonInt(_ bytes: ArraySlice<UInt8>) -> WideInteger? {
        var ascii: [UInt8] = []
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if scalar.value < 127 {
                ascii.append(UInt8(scalar.value))
            } else if pythonUnicodeSpaces.contains(scalar.value) {
                ascii.append(UInt8(ascii: " "))
            } else if scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue {
                ascii.append(UInt8(ascii: "0") + UInt8(digit))
            } else {
                ascii.append(UInt8(ascii: "?"))
            }
        }
        let spaces = Set(" \t\n\u{0B}\u{0C}\r".utf8)
        var text = ascii[...]
        while let first = text.first, spaces.contains(first) { text.removeFirst() }
        while let last = text.last, spaces.contains(last) { text.removeLast() }
        var value = WideInteger()
        if let sign = text.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            value.negative = sign == UInt8(ascii: "-")
            text.removeFirst()
        }
        guard let digits = digitsWithUnderscores(text, base: 10), digits.count <= 4300 else { return nil }
        for digit in digits { value.multiplyAdd(base: 10, digit: digit) }
        return value
    }

    /// Non-ASCII code points that `str.isspace()` calls whitespace.
    static let pythonUnicodeSpaces: Set<UInt32> = [
        0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ]
}

/// stripe-node, `src/Webhooks.ts`, in Node.js (`NodePlatformFunctions`).
private enum StripeNode {
    /// `parseHeader(header, scheme)`, then `parseEventDetails`, which refuses an empty header,
    /// `details.timestamp === -1` (no `t`, or `t=-1`) and (in `verify`) `!details.signatures.length`:
    ///
    ///     return header.split(',').reduce((accum, item) => {
    ///         const kv = item.split('=');
    ///         if (kv[0] === 't') { accum.timestamp = parseInt(kv[1], 10); }
    ///         if (kv[0] === scheme) { accum.signatures.push(kv[1]); }
    ///         return accum;
    ///     }, {timestamp: -1, signatures: []});
    ///
    /// `kv[1]` is the text between the first and the second `=`, `undefined` without `=`; the last `t` counts.
    static func parse(_ header: [UInt8]) -> (timestamp: Double, signatures: [ArraySlice<UInt8>?])? {
        guard !header.isEmpty else { return nil }
        var timestamp = -1.0
        var signatures: [ArraySlice<UInt8>?] = []
        for item in header.split(separator: comma, omittingEmptySubsequences: false) {
            let kv = item.split(separator: equals, omittingEmptySubsequences: false)
            let value = kv.count > 1 ? kv[1] : nil
            if kv[0].elementsEqual("t".utf8) { timestamp = parseInt(value) }
            if kv[0].elementsEqual("v1".utf8) { signatures.append(value) }
        }
        guard timestamp != -1 else { return nil }
        return (timestamp, signatures)
    }

    static func read(_ header: [UInt8]) -> SDKReading? {
        guard let (timestamp, signatures) = parse(header) else { return nil }
        return SDKReading(
            timestamp: javaScriptString(timestamp),
            checked: lowercaseHexValues(signatures.compactMap { $0 })
        )
    }

    /// `verifyHeader`, signing `` `${details.timestamp}.${payload}` ``, then `validateComputedSignature`:
    ///
    ///     const signatureFound = !!details.signatures.filter(
    ///         platformFunctions.secureCompare.bind(platformFunctions, expectedSignature)).length;
    ///     ...
    ///     const timestampAge = Math.floor((receivedAt ?? Date.now()) / 1000) - details.timestamp;
    ///     if (tolerance > 0 && timestampAge > tolerance) { throw ... }
    ///
    /// `filter` compares every signature. `NodePlatformFunctions.secureCompare(a, b)` throws when `!a || !b` (a
    /// `v1` empty or without `=`), answers false for another `.length` (UTF-16 units), and otherwise calls
    /// `crypto.timingSafeEqual` on the UTF-8 encodings, which throws when their byte lengths differ.
    /// A NaN timestamp (`t=abc`) is signed as "NaN" and never too old.
    static func verify(_ header: [UInt8], now: Int64?, expected: (String) -> String) -> SDKVerdict {
        guard let (timestamp, signatures) = parse(header), !signatures.isEmpty else { return .refused }
        let text = javaScriptString(timestamp)
        let signature = Array(expected(text).utf8)
        var found = false
        for candidate in signatures {
            guard let candidate, !candidate.isEmpty else { return .refused }
            guard String(decoding: candidate, as: UTF8.self).utf16.count == signature.count else { continue }
            guard candidate.count == signature.count else { return .refused }
            if candidate.elementsEqual(signature) { found = true }
        }
        guard found else { return .refused }
        if let now, Double(now) - timestamp > Double(sdkTolerance) { return .refused }
        return .accepted(timestamp: text)
    }

    /// JavaScript's `parseInt(string, 10)`: leading white space and line terminators skipped, one sign, then the
    /// longest run of ASCII digits (NaN when empty), the rest ignored. `undefined` reads as "undefined": NaN.
    static func parseInt(_ bytes: ArraySlice<UInt8>?) -> Double {
        guard let bytes else { return .nan }
        var scalars = Substring(String(decoding: bytes, as: UTF8.self)).unicodeScalars[...]
        while let first = scalars.first, javaScriptSpaces.contains(first.value) { scalars.removeFirst() }
        var negative = false
        if let sign = scalars.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            scalars.removeFirst()
        }
        let digits = scalars.prefix { ("0"..."9").contains($0) }
        guard !digits.isEmpty, let magnitude = Double(String(String.UnicodeScalarView(digits))) else { return .nan }
        return negative ? -magnitude : magnitude
    }

    /// JavaScript's StrWhiteSpaceChar: WhiteSpace (TAB, VT, FF, ZWNBSP and category Zs) and LineTerminator.
    static let javaScriptSpaces: Set<UInt32> = [
        0x09, 0x0B, 0x0C, 0xFEFF, 0x20, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
        0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000, 0x0A, 0x0D, 0x2028, 0x2029,
    ]

    /// JavaScript's Number::toString(10) for what `parseInt` returns (an integer, an infinity or NaN): the shortest
    /// digits that read back as the same number (as Swift's `description` writes them), in plain digits below
    /// 10^21 and as `d.ddde+n` from there.
    static func javaScriptString(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number == 0 { return "0" }
        if number < 0 { return "-" + javaScriptString(-number) }
        if number.isInfinite { return "Infinity" }
        let parts = number.description.split(separator: "e")
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        var digits = Array(mantissa[0] + (mantissa.count > 1 ? mantissa[1] : ""))
        var point = mantissa[0].count + (parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        if point <= 21 { return String(digits) + String(repeating: "0", count: point - digits.count) }
        let exponent = "e+\(point - 1)"
        return digits.count == 1 ? "\(digits[0])\(exponent)" : "\(digits[0]).\(String(digits[1...]))\(exponent)"
    }
}

/// stripe-go, `webhook/client.go`.
private enum StripeGo {
    /// Seconds from 0001-01-01 to 1970-01-01: `time.Time{}` (no `t`) signs -62135596800.
    static let unixToInternal: Int64 = 62_135_596_800

    /// `parseSignatureHeader(header)`, without its last check (no signatures), which `verify` makes:
    ///
    ///     if header == "" { return sh, ErrNotSigned }
    ///     pairs := strings.Split(header, ",")
    ///     for _, pair := range pairs {
    ///         parts := strings.Split(pair, "=")
    ///         if len(parts) != 2 { return sh, ErrInvalidHeader }
    ///         switch parts[0] {
    ///         case "t":
    ///             timestamp, err := strconv.ParseInt(parts[1], 10, 64)
    ///             if err != nil { return sh, ErrInvalidHeader }
    ///             sh.timestamp = time.Unix(timestamp, 0)
    ///         case signingVersion:
    ///             sig, err := hex.DecodeString(parts[1])
    ///             if err != nil { continue // Ignore invalid signatures }
    ///             sh.signatures = append(sh.signatures, sig)
    ///         default: continue // Ignore unknown parts of the header
    ///         }
    ///     }
    ///     if len(sh.signatures) == 0 { return sh, ErrNoValidSignature }
    static func parse(_ header: [UInt8]) -> (timestamp: Int64, signatures: [(bytes: [UInt8], lowercase: Bool)])? {
        guard !header.isEmpty else { return nil }
        var timestamp = -unixToInternal
        var signatures: [(bytes: [UInt8], lowercase: Bool)] = []
        for pair in header.split(separator: comma, omittingEmptySubsequences: false) {
            let parts = pair.split(separator: equals, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            if parts[0].elementsEqual("t".utf8) {
                guard let value = parseInt(parts[1]) else { return nil }
                timestamp = value
            } else if parts[0].elementsEqual("v1".utf8), let bytes = decodeHex(parts[1]) {
                signatures.append((bytes, !parts[1].contains { (0x41...0x46).contains($0) }))
            }
        }
        return (timestamp, signatures)
    }

    static func read(_ header: [UInt8]) -> SDKReading? {
        guard let (timestamp, signatures) = parse(header) else { return nil }
        let lowercase = signatures.filter { $0.lowercase && $0.bytes.count == 32 }
        return SDKReading(timestamp: String(timestamp), checked: Set(lowercase.map { hex($0.bytes) }))
    }

    /// `validatePayload(payload, sigHeader, secret, tolerance, enforceTolerance)`, where `ConstructEvent` enforces
    /// 300 s and `ConstructEventIgnoringTolerance` nothing:
    ///
    ///     expiredTimestamp := time.Since(header.timestamp) > tolerance
    ///     if enforceTolerance && expiredTimestamp { return ErrTooOld }
    ///     expectedSignature := ComputeSignature(header.timestamp, payload, secret)  // fmt "%d" of t.Unix()
    ///     for _, sig := range header.signatures {
    ///         if hmac.Equal(expectedSignature, sig) { return nil }
    ///     }
    ///     return ErrNoValidSignature
    static func verify(_ header: [UInt8], now: Int64?, expected: (String) -> String) -> SDKVerdict {
        guard let (timestamp, signatures) = parse(header), !signatures.isEmpty else { return .refused }
        if let now, isTooOld(timestamp, now: now) { return .refused }
        let text = String(timestamp)
        guard let signature = decodeHex(Array(expected(text).utf8)[...]),
            signatures.contains(where: { $0.bytes == signature })
        else { return .refused }
        return .accepted(timestamp: text)
    }

    /// `time.Since(time.Unix(timestamp, 0)) > tolerance`. A `time.Time` keeps seconds since year 1 in an int64
    /// (`unix + unixToInternal`, wrapping for the largest timestamps); `Sub` saturates on overflow, keeping the
    /// sign of the comparison of those seconds.
    static func isTooOld(_ timestamp: Int64, now: Int64) -> Bool {
        let then = timestamp &+ unixToInternal
        let current = now + unixToInternal
        let (age, overflow) = current.subtractingReportingOverflow(then)
        return overflow ? current > then : age > sdkTolerance
    }

    /// `strconv.ParseInt(s, 10, 64)`: one optional sign, then ASCII digits only (no underscores with base 10),
    /// within the range of int64.
    static func parseInt(_ text: ArraySlice<UInt8>) -> Int64? {
        var digits = text
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            digits.removeFirst()
        }
        guard !digits.isEmpty else { return nil }
        var magnitude: UInt64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            magnitude = sum
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `hex.DecodeString`: an even number of hex digits in either case.
    static func decodeHex(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard text.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        var high: UInt8?
        for byte in text {
            guard let nibble = hexNibble(byte) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    static func hexNibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}

/// stripe-ruby, `lib/stripe/webhook.rb`, module `Stripe::Webhook::Signature`.
private enum StripeRuby {
    /// `get_timestamp_and_signatures(header, scheme)`, whose StandardError `verify_header` turns into a refusal:
    ///
    ///     list_items = header.split(/,\s*/).map { |i| i.split("=", 2) }
    ///     timestamp = Integer(list_items.select { |i| i[0] == "t" }[0][1])
    ///     signatures = list_items.select { |i| i[0] == scheme }.map { |i| i[1] }
    ///     [Time.at(timestamp), signatures]
    ///
    /// `split(/,\s*/)` drops ASCII white space after each comma and the empty items at the end; `"".split("=", 2)`
    /// is `[]`. The first `t` counts; one without `=` gives `Integer(nil)`, a TypeError. A `v1` without `=` is nil.
    static func parse(_ header: [UInt8]) -> (timestamp: WideInteger, signatures: [ArraySlice<UInt8>?])? {
        var items: [ArraySlice<UInt8>] = []
        var start = header.startIndex
        var index = header.startIndex
        while index < header.endIndex {
            if header[index] == comma {
                items.append(header[start..<index])
                index += 1
                while index < header.endIndex, rubySpaces.contains(header[index]) { index += 1 }
                start = index
            } else {
                index += 1
            }
        }
        items.append(header[start...])
        while items.last?.isEmpty == true { items.removeLast() }
        var timestamp: WideInteger??
        var signatures: [ArraySlice<UInt8>?] = []
        for item in items where !item.isEmpty {
            let equalsIndex = item.firstIndex(of: equals)
            let key = item[..<(equalsIndex ?? item.endIndex)]
            let value = equalsIndex.map { item[($0 + 1)...] }
            if key.elementsEqual("t".utf8), timestamp == nil { timestamp = .some(value.flatMap(rubyInteger)) }
            if key.elementsEqual("v1".utf8) { signatures.append(value) }
        }
        guard let first = timestamp, let value = first else { return nil }
        return (value, signatures)
    }

    static func read(_ header: [UInt8]) -> SDKReading? {
        guard let (timestamp, signatures) = parse(header) else { return nil }
        return SDKReading(timestamp: timestamp.decimal, checked: lowercaseHexValues(signatures.compactMap { $0 }))
    }

    /// `verify_header(payload, header, secret, tolerance:)`, signing `"#{timestamp.to_i}.#{payload}"`:
    ///
    ///     if signatures.empty? then raise ...
    ///     unless signatures.any? { |s| Util.secure_compare(expected_sig, s) } then raise ...
    ///     if tolerance && timestamp < Time.now - tolerance then raise ...
    ///
    /// `Util.secure_compare(a, b)` begins `return false unless a.bytesize == b.bytesize`: a nil signature (a `v1`
    /// without `=`) raises NoMethodError, unless `any?` stopped at a match before it.
    static func verify(_ header: [UInt8], now: Int64?, expected: (String) -> String) -> SDKVerdict {
        guard let (timestamp, signatures) = parse(header), !signatures.isEmpty else { return .refused }
        let text = timestamp.decimal
        let signature = Array(expected(text).utf8)
        var found = false
        for candidate in signatures {
            guard let candidate else { return .refused }
            if candidate.elementsEqual(signature) {
                found = true
                break
            }
        }
        guard found else { return .refused }
        if let now, timestamp.isLess(than: now - sdkTolerance) { return .refused }
        return .accepted(timestamp: text)
    }

    /// Ruby's `\s` and `ISSPACE`: space, TAB, LF, VT, FF, CR.
    static let rubySpaces = Set(" \t\n\u{0B}\u{0C}\r".utf8)

    /// Ruby's `Integer(string)` (`rb_int_parse_cstr` with base 0 and bad-input checks): no NUL, white space
    /// around, one sign, a prefix `0x`, `0b`, `0o` or `0d` (any case), or else a leading `0` that makes the number
    /// octal, then digits of that base with single underscores between them.
    static func rubyInteger(_ bytes: ArraySlice<UInt8>) -> WideInteger? {
        guard !bytes.contains(0) else { return nil }
        var text = bytes
        while let first = text.first, rubySpaces.contains(first) { text.removeFirst() }
        while let last = text.last, rubySpaces.contains(last) { text.removeLast() }
        var value = WideInteger()
        if let sign = text.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            value.negative = sign == UInt8(ascii: "-")
            text.removeFirst()
        }
        var base: UInt32 = 10
        if text.first == UInt8(ascii: "0"), text.count > 1 {
            let prefixes: [UInt8: UInt32] = [0x78: 16, 0x62: 2, 0x6F: 8, 0x64: 10]
            if let prefixed = prefixes[text[text.startIndex + 1] | 0x20] {
                base = prefixed
                text.removeFirst(2)
            } else {
                base = 8
            }
        }
        guard let digits = digitsWithUnderscores(text, base: base) else { return nil }
        for digit in digits { value.multiplyAdd(base: base, digit: digit) }
        return value
    }
}

/// The digit values of `text` when it is digits of `base` with single underscores between them, else nil.
private func digitsWithUnderscores(_ text: ArraySlice<UInt8>, base: UInt32) -> [UInt32]? {
    var digits: [UInt32] = []
    var afterUnderscore = false
    for byte in text {
        if byte == UInt8(ascii: "_") {
            guard !digits.isEmpty, !afterUnderscore else { return nil }
            afterUnderscore = true
            continue
        }
        let digit: UInt32
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt32(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt32(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
        guard digit < base else { return nil }
        digits.append(digit)
        afterUnderscore = false
    }
    return digits.isEmpty || afterUnderscore ? nil : digits
}

/// The values that are 64 lowercase hex digits: those a string comparison with a signature can match.
private func lowercaseHexValues(_ values: [ArraySlice<UInt8>]) -> Set<String> {
    Set(values.filter(isLowercaseHexSignature).map { String(decoding: $0, as: UTF8.self) })
}

/// Whether `value` has the form of a computed `v1` signature: 64 lowercase hex digits.
func isLowercaseHexSignature(_ value: ArraySlice<UInt8>) -> Bool {
    value.count == 64
        && value.allSatisfy { (0x30...0x39).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
}

/// An integer of any size (Python's `int`, Ruby's `Integer`) in base-10^9 limbs, least significant first.
struct WideInteger {
    var negative = false
    private var limbs: [UInt32] = []

    /// `self = self * base + digit`, for a base up to 16.
    mutating func multiplyAdd(base: UInt32, digit: UInt32) {
        var carry = UInt64(digit)
        for index in self.limbs.indices {
            let product = UInt64(self.limbs[index]) * UInt64(base) + carry
            self.limbs[index] = UInt32(product % 1_000_000_000)
            carry = product / 1_000_000_000
        }
        if carry > 0 { self.limbs.append(UInt32(carry)) }
    }

    /// The decimal text, as Python's `"%d"` and Ruby's `to_i.to_s` write it ("0" for minus zero).
    var decimal: String {
        guard let top = self.limbs.last else { return "0" }
        var text = (self.negative ? "-" : "") + String(top)
        for limb in self.limbs.dropLast().reversed() {
            let digits = String(limb)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }

    /// Whether the value is below `limit`.
    func isLess(than limit: Int64) -> Bool {
        var other = WideInteger()
        other.negative = limit < 0
        var magnitude = limit.magnitude
        while magnitude > 0 {
            other.limbs.append(UInt32(magnitude % 1_000_000_000))
            magnitude /= 1_000_000_000
        }
        let selfNegative = self.negative && !self.limbs.isEmpty
        let otherNegative = other.negative && !other.limbs.isEmpty
        if selfNegative != otherNegative { return selfNegative }
        let magnitudeLess =
            self.limbs.count != other.limbs.count
            ? self.limbs.count < other.limbs.count
            : self.limbs.reversed().lexicographicallyPrecedes(other.limbs.reversed())
        let magnitudeEqual = self.limbs == other.limbs
        return selfNegative ? !magnitudeLess && !magnitudeEqual : magnitudeLess
    }
}
