import FuzzDriver
import Glibc

@testable import HookgateCore

/// The `Stripe-Signature` header parser against the official SDKs' rules (`StripeSDKRules.swift`).
///
/// The input is the header; the body and the secret are fixed. So that acceptance is exercised, each `@p`, `@n`,
/// `@g`, `@r` becomes the body's valid signature for the timestamp that SDK reads in the input, `@G` Go's in upper
/// case, and any other `@` the signature for Hookgate's timestamp. The clock is the input's length modulo 6: no tolerance, or 300 s at the
/// header's timestamp, 300 or 301 s before or after it. What must hold, else the harness crashes:
/// 1. what Hookgate accepts, every SDK accepts, signing the same timestamp;
/// 2. what an SDK accepts and Hookgate refuses falls in a ``DeliberateRefusal`` (a documented divergence);
/// 3. where Hookgate and an SDK both parse the header, they read the same timestamp and compare the same `v1`
///    values (those of the form of a signature, 64 lowercase hex digits).
private let secret = "whsec_signatureDifferentialFuzzOnly01234"
private let body = Array(#"{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}"#.utf8)
private let scheme = StripeSignatureScheme()
private let keyring = try! Keyring(
    scheme: scheme,
    secrets: [LabelledSecret(label: "fuzz", secret: Secret(secret))]
)
private let clockOffsets: [Int64?] = [nil, 0, 300, -300, 301, -301]

/// How often each outcome was reached, printed at exit to show which paths the run exercised.
nonisolated(unsafe) private var tally: [String: Int] = [:]

atexit {
    let lines = tally.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)\n" }
    var text = "FuzzSignatureDifferential outcomes:\n" + lines.joined()
    text.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// Checks the three rules for `header` at `now` (nil: no tolerance; Hookgate's clock is then `clock`).
private func compare(_ header: [UInt8], now: Int64?, clock: Int64) {
    let hookgate = body.withUnsafeBytes { bytes in
        Result { () throws(VerificationError) in
            try scheme.verify(
                body: bytes,
                headers: ["stripe-signature": String(decoding: header, as: UTF8.self)],
                keyring: keyring,
                tolerance: now == nil ? .disabled : .standard,
                now: now ?? clock
            )
        }
    }
    for sdk in SDK.allCases {
        let verdict = sdk.verify(header, now: now, expected: signature(for:))
        switch (hookgate, verdict) {
        case (.success(let verified), .accepted(let timestamp)):
            guard timestamp == String(verified.timestamp) else {
                fail("Hookgate signs t=\(verified.timestamp), \(sdk) t=\(timestamp)", header)
            }
            tally["accepted by Hookgate and \(sdk)", default: 0] += 1
        case (.success(let verified), .refused):
            fail("Hookgate accepts (t=\(verified.timestamp)), \(sdk) refuses", header)
        case (.failure(let error), .accepted(let timestamp)):
            let refusals = DeliberateRefusal.cases(of: header, sdk: sdk, timestamp: timestamp, now: now)
            guard let first = refusals.first else {
                fail(
                    "\(sdk) accepts (t=\(timestamp)), Hookgate refuses (\(error)) outside any deliberate refusal",
                    header
                )
            }
            tally["accepted by \(sdk) only: \(first)", default: 0] += 1
        case (.failure, .refused):
            break
        }
    }
    compareReadings(header)
}

/// Rule 3: where Hookgate's parse and an SDK's both succeed, the same timestamp and the same `v1` values compared.
private func compareReadings(_ header: [UInt8]) {
    header.withUnsafeBufferPointer { buffer in
        guard let parsed = try? StripeSignatureHeader(parsing: buffer) else { return }
        let candidates = signatureShapedValues(header)
        for sdk in SDK.allCases {
            guard let reading = sdk.read(header) else { continue }
            guard reading.timestamp == String(parsed.timestamp) else {
                fail("Hookgate reads t=\(parsed.timestamp), \(sdk) t=\(reading.timestamp)", header)
            }
            for value in candidates.union(reading.checked) {
                let mac = SHA256MAC(bytes: hexBytes(value))!
                guard parsed.containsSignature(matching: mac) == reading.checked.contains(value) else {
                    fail("Hookgate and \(sdk) disagree on whether v1=\(value) is compared", header)
                }
            }
            tally["parsed by Hookgate and \(sdk)", default: 0] += 1
        }
    }
}

/// Hookgate's timestamp for `header`, when its parse succeeds.
private func hookgateTimestamp(_ header: [UInt8]) -> Int64? {
    header.withUnsafeBufferPointer { buffer in (try? StripeSignatureHeader(parsing: buffer))?.timestamp }
}

/// `template` with each placeholder replaced by the signature it names (see the harness's comment).
private func fillingPlaceholders(_ template: [UInt8], hookgate: Int64?) -> [UInt8] {
    guard template.contains(UInt8(ascii: "@")) else { return template }
    let readers: [UInt8: SDK] = [0x70: .python, 0x6E: .node, 0x67: .go, 0x47: .go, 0x72: .ruby]
    var timestamps: [UInt8: String?] = [:]
    var filled: [UInt8] = []
    var index = template.startIndex
    while index < template.endIndex {
        guard template[index] == UInt8(ascii: "@") else {
            filled.append(template[index])
            index += 1
            continue
        }
        let marker = index + 1 < template.endIndex && readers[template[index + 1]] != nil ? template[index + 1] : nil
        let timestamp: String?
        if let marker {
            if timestamps[marker] == nil { timestamps[marker] = .some(readers[marker]!.read(template)?.timestamp) }
            timestamp = timestamps[marker]!
        } else {
            timestamp = hookgate.map { String($0) }
        }
        let placeholderLength = marker == nil ? 1 : 2
        if let timestamp {
            let value = signature(for: timestamp)
            filled += (marker == UInt8(ascii: "G") ? value.uppercased() : value).utf8
        } else {
            filled += template[index..<(index + placeholderLength)]
        }
        index += placeholderLength
    }
    return filled
}

/// The body's `v1` for a timestamp written as `text`: HMAC-SHA256 of `"<text>.<body>"` in lowercase hex.
private func signature(for text: String) -> String {
    keyring.entries[0].key.authenticationCode { stream in
        stream.update(Substring(text))
        stream.update(byte: UInt8(ascii: "."))
        body.withUnsafeBytes { stream.update($0) }
    }.hexString
}

/// Every value in `header` of the form of a signature that any reading could take: from just after an `=` to
/// the next `,` or the next `=` (or the end).
private func signatureShapedValues(_ header: [UInt8]) -> Set<String> {
    var values: Set<String> = []
    for start in header.indices where header[start] == UInt8(ascii: "=") {
        let rest = header[(start + 1)...]
        let toComma = rest.prefix { $0 != UInt8(ascii: ",") }
        for value in [toComma, toComma.prefix { $0 != UInt8(ascii: "=") }] where isLowercaseHexSignature(value) {
            values.insert(String(decoding: value, as: UTF8.self))
        }
    }
    return values
}

private func hexBytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8).map { $0 <= 0x39 ? $0 - 0x30 : $0 - 0x61 + 10 }
    return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

private func fail(_ what: String, _ header: [UInt8]) -> Never {
    fatalError("\(what) for the header \(String(reflecting: String(decoding: header, as: UTF8.self)))")
}

exit(
    runFuzzer { data, count in
        let template = Array(String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self).utf8)
        let base = hookgateTimestamp(template)
        let header = fillingPlaceholders(template, hookgate: base)
        let now = clockOffsets[count % clockOffsets.count].map { (base ?? 1_700_000_000) + $0 }
        compare(header, now: now, clock: base ?? 1_700_000_000)
        return 0
    }
)
