import Glibc
import HookgateCore

/// Fixtures and helpers shared by the Core tests.
enum Fixtures {
    /// `Tests/Fixtures/`, found from this source file's path.
    static let directory: String = {
        var path = #filePath
        for _ in 0..<2 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path + "/Fixtures/"
    }()

    /// The bytes of a fixture file.
    static func bytes(_ name: String) -> [UInt8] {
        guard let file = fopen(directory + name, "rb") else { fatalError("missing fixture \(name)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { return bytes }
            bytes += buffer[..<count]
        }
    }

    /// A ~2 KB Stripe-style event.
    static let twoKilobyteEvent: [UInt8] = {
        let head = Array(
            "{\n  \"id\": \"evt_test\",\n  \"object\": \"event\",\n  \"livemode\": false,\n  \"padding\": \"".utf8
        )
        let tail = Array("\"\n}\n".utf8)
        return head + [UInt8](repeating: UInt8(ascii: "x"), count: 2048 - head.count - tail.count) + tail
    }()
}

let stripe = StripeSignatureScheme()

/// A keyring of the given secrets for `scheme`, labelled `key-1`, `key-2`, ...
func keyring(_ secrets: String..., scheme: some SignatureScheme = StripeSignatureScheme()) throws -> Keyring {
    try Keyring(
        scheme: scheme,
        secrets: secrets.enumerated().map { LabelledSecret(label: "key-\($0.offset + 1)", secret: Secret($0.element)) }
    )
}

/// A valid Stripe header for `body`, made by Hookgate's own signer (the vectors test it independently).
func stripeHeader(_ body: [UInt8], secrets: String..., at timestamp: Int64) throws -> String {
    try stripeHeader(body, secrets: secrets, at: timestamp)
}

/// A valid Stripe header for `body` signed with every secret in `secrets`.
func stripeHeader(_ body: [UInt8], secrets: [String], at timestamp: Int64) throws -> String {
    let keys = try secrets.map { try HMACKey(bytes: $0.utf8) }
    return stripe.sign(body: body, keys: keys, timestamp: timestamp, messageID: nil)["stripe-signature"]!
}

/// Verifies with Stripe's scheme and returns the error code, or `nil` when valid.
func stripeCode(
    _ body: [UInt8],
    header: String,
    keyring: Keyring,
    tolerance: TimestampTolerance = .standard,
    now: Int64
) -> VerificationError.Code? {
    do {
        _ = try stripe.verify(
            body: body,
            headers: ["Stripe-Signature": header],
            keyring: keyring,
            tolerance: tolerance,
            now: now
        )
        return nil
    } catch {
        return error.code
    }
}
