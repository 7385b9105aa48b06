import FuzzDriver
import Glibc
import HookgateCore

private let scheme = StripeSignatureScheme()
private let now: Int64 = 1_700_000_000
private let keyring = try! Keyring(
    scheme: scheme,
    secrets: [LabelledSecret(label: "fuzz", secret: Secret("whsec_fuzzOnlyNotARealSecret0123456789ab"))]
)

/// The first line is the Stripe-Signature header, the rest the body: verification may refuse, never crash.
/// Every tenth input is also signed for real first (its header replaced by a valid one, with the fuzzed line
/// appended as more items), so the parser's paths past a matching signature are reached too.
exit(
    runFuzzer { data, count in
        let bytes = UnsafeBufferPointer(start: data, count: count)
        let newline = bytes.firstIndex(of: 0x0A) ?? count
        var header = String(decoding: bytes[0..<newline], as: UTF8.self)
        let body = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[min(newline + 1, count)...])
        if count % 10 == 0,
            let signed = scheme.sign(body: body, keys: [keyring.entries[0].key], timestamp: now, messageID: nil)[
                "stripe-signature"
            ]
        {
            header = signed + "," + header
        }
        _ = try? scheme.verify(
            body: body,
            headers: ["stripe-signature": header],
            keyring: keyring,
            tolerance: TimestampTolerance(past: 300, future: 300),
            now: now
        )
        return 0
    }
)
