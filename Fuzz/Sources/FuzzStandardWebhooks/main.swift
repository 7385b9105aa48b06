import FuzzDriver
import Glibc
import HookgateCore

private let scheme = StandardWebhooksSignatureScheme()
private let keyring = try! Keyring(
    scheme: scheme,
    secrets: [LabelledSecret(label: "fuzz", secret: Secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))]
)

/// Three lines (webhook-id, webhook-timestamp, webhook-signature), then the body: verification may refuse,
/// never crash.
exit(
    runFuzzer { data, count in
        let bytes = UnsafeBufferPointer(start: data, count: count)
        var lines: [String] = []
        var start = 0
        while lines.count < 3, let newline = bytes[start...].firstIndex(of: 0x0A) {
            lines.append(String(decoding: bytes[start..<newline], as: UTF8.self))
            start = newline + 1
        }
        while lines.count < 3 { lines.append("") }
        let body = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[start...])
        _ = try? scheme.verify(
            body: body,
            headers: ["webhook-id": lines[0], "webhook-timestamp": lines[1], "webhook-signature": lines[2]],
            keyring: keyring,
            tolerance: TimestampTolerance(past: 300, future: 300),
            now: 1_700_000_000
        )
        return 0
    }
)
