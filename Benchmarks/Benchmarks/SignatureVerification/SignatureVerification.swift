import Benchmark
import CHMACBaseline
import HookgateCore

// Issue 2: `StripeSignatureScheme.verify` of a 2 KB payload against bare OpenSSL HMAC-SHA256 of the same
// bytes, in one run. Acceptance: verify with one secret costs at most 1.3x the reused-context baseline.
//
// Every benchmark does 1,000 operations per sample (`scalingFactor: .kilo`); the figures shown are per
// operation. The bare baselines hash exactly the bytes verify hashes: the signed payload `"<t>." + body`.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )

    let fixture = VerificationFixture()

    // MARK: Bare OpenSSL baselines

    Benchmark("HMAC-SHA256 bare (EVP_MAC reused context)") { benchmark in
        fixture.signedPayload.withUnsafeBytes { payload in
            for _ in benchmark.scaledIterations {
                blackHole(fixture.baseline.evpMacReinit(payload))
            }
        }
    }

    Benchmark("HMAC-SHA256 one-shot") { benchmark in
        fixture.signedPayload.withUnsafeBytes { payload in
            for _ in benchmark.scaledIterations {
                blackHole(fixture.baseline.oneShot(payload))
            }
        }
    }

    // Diagnostics: the per-request context strategies HMACKey could use.

    Benchmark("HMAC-SHA256 EVP_MAC_CTX_dup + free (HMACKey before its pool)") { benchmark in
        fixture.signedPayload.withUnsafeBytes { payload in
            for _ in benchmark.scaledIterations {
                blackHole(fixture.baseline.evpMacDup(payload))
            }
        }
    }

    Benchmark("HMAC-SHA256 HMAC_CTX reused context (deprecated API)") { benchmark in
        fixture.signedPayload.withUnsafeBytes { payload in
            for _ in benchmark.scaledIterations {
                blackHole(fixture.baseline.hmacCtxReinit(payload))
            }
        }
    }

    Benchmark("HMACKey.authenticationCode(of:)") { benchmark in
        fixture.signedPayload.withUnsafeBytes { payload in
            for _ in benchmark.scaledIterations {
                blackHole(fixture.keys[0].authenticationCode(of: payload))
            }
        }
    }

    // MARK: StripeSignatureScheme.verify (header parsing, HMAC, constant-time compare, tolerance)

    Benchmark("verify, 1 secret") { benchmark in
        try fixture.verifyLoop(benchmark, keyring: fixture.oneSecret, headers: fixture.signedByFirst)
    }

    Benchmark("verify, 3 secrets, match on first") { benchmark in
        try fixture.verifyLoop(benchmark, keyring: fixture.threeSecrets, headers: fixture.signedByFirst)
    }

    Benchmark("verify, 3 secrets, match on last") { benchmark in
        try fixture.verifyLoop(benchmark, keyring: fixture.threeSecrets, headers: fixture.signedByLast)
    }

    // What a gateway adds per request on top of verify: building the SignatureHeaders from the request.
    Benchmark("verify, 1 secret, SignatureHeaders built per call") { benchmark in
        let scheme = StripeSignatureScheme()
        let value = fixture.signedByFirst["stripe-signature"]!
        try fixture.body.withUnsafeBytes { body in
            for _ in benchmark.scaledIterations {
                let headers: SignatureHeaders = ["Stripe-Signature": value]
                blackHole(
                    try scheme.verify(
                        body: body,
                        headers: headers,
                        keyring: fixture.oneSecret,
                        tolerance: .standard,
                        now: VerificationFixture.timestamp
                    )
                )
            }
        }
    }
}

/// The payload, keys and headers shared by every benchmark, built and cross-checked once.
final class VerificationFixture: Sendable {
    /// The signature's `t=`, also used as `now` so the tolerance check passes.
    static let timestamp: Int64 = 1_764_140_000
    static let bodyLength = 2_048

    /// A `payment_intent.succeeded` event of exactly ``bodyLength`` bytes.
    let body: [UInt8]
    /// `"<t>." + body`: the bytes the Stripe scheme signs.
    let signedPayload: [UInt8]
    let secrets: [Secret] = [
        Secret("whsec_benchmark0first0secret0000000000"),
        Secret("whsec_benchmark0second0secret000000000"),
        Secret("whsec_benchmark0third0secret0000000000"),
    ]
    let keys: [HMACKey]
    let oneSecret: Keyring
    let threeSecrets: Keyring
    /// `Stripe-Signature: t=..,v1=..` signed with the first secret.
    let signedByFirst: SignatureHeaders
    /// `Stripe-Signature: t=..,v1=..` signed with the third secret.
    let signedByLast: SignatureHeaders
    /// Bare OpenSSL contexts keyed with the first secret.
    let baseline: BaselineHMAC

    init() {
        let scheme = StripeSignatureScheme()
        self.body = Self.paymentIntentSucceeded(length: Self.bodyLength)
        self.signedPayload = Array("\(Self.timestamp).".utf8) + self.body
        self.keys = self.secrets.map { try! scheme.makeKey($0, label: "") }
        let labelled = zip(["first", "second", "third"], self.secrets).map { LabelledSecret(label: $0, secret: $1) }
        self.oneSecret = try! Keyring(scheme: scheme, secrets: [labelled[0]])
        self.threeSecrets = try! Keyring(scheme: scheme, secrets: labelled)
        self.signedByFirst = scheme.sign(
            body: self.body,
            keys: [self.keys[0]],
            timestamp: Self.timestamp,
            messageID: nil
        )
        self.signedByLast = scheme.sign(
            body: self.body,
            keys: [self.keys[2]],
            timestamp: Self.timestamp,
            messageID: nil
        )
        self.baseline = BaselineHMAC(key: Array(self.secrets[0].value.utf8))
        self.check()
    }

    /// Every path computes the same MAC, and verify accepts what it should: the figures compare equal work.
    private func check() {
        let header = self.signedByFirst["stripe-signature"]!
        let expected = self.signedPayload.withUnsafeBytes { self.keys[0].authenticationCode(of: $0) }
        precondition(header == "t=\(Self.timestamp),v1=\(expected.hexString)", "unexpected Stripe-Signature")
        self.signedPayload.withUnsafeBytes { payload in
            let baseline = self.baseline
            let computations: [(String, () -> Int32)] = [
                ("EVP_MAC reinit", { baseline.evpMacReinit(payload) }),
                ("EVP_MAC second reinit", { baseline.evpMacReinit(payload) }),
                ("EVP_MAC_CTX_dup", { baseline.evpMacDup(payload) }),
                ("HMAC_CTX reinit", { baseline.hmacCtxReinit(payload) }),
                ("HMAC_CTX second reinit", { baseline.hmacCtxReinit(payload) }),
                ("HMAC one-shot", { baseline.oneShot(payload) }),
            ]
            for (name, compute) in computations {
                precondition(baseline.lastMAC(status: compute()) == expected, "\(name): another MAC than HMACKey's")
            }
        }
        let cases: [(Keyring, SignatureHeaders, String)] = [
            (self.oneSecret, self.signedByFirst, "first"),
            (self.threeSecrets, self.signedByFirst, "first"),
            (self.threeSecrets, self.signedByLast, "third"),
        ]
        for (keyring, headers, label) in cases {
            let verified = try! StripeSignatureScheme().verify(
                body: self.body,
                headers: headers,
                keyring: keyring,
                tolerance: .standard,
                now: Self.timestamp
            )
            precondition(verified.keyLabel == label, "verify matched \(verified.keyLabel), expected \(label)")
        }
    }

    func verifyLoop(_ benchmark: Benchmark, keyring: Keyring, headers: SignatureHeaders) throws {
        let scheme = StripeSignatureScheme()
        try self.body.withUnsafeBytes { body in
            for _ in benchmark.scaledIterations {
                blackHole(
                    try scheme.verify(
                        body: body,
                        headers: headers,
                        keyring: keyring,
                        tolerance: .standard,
                        now: Self.timestamp
                    )
                )
            }
        }
    }

    /// The shared fixture `payment_intent.succeeded.json` (Stripe's own `payment_intent` object in an event
    /// envelope), padded to `length` bytes with a `metadata.note` string of `x`s.
    static func paymentIntentSucceeded(length: Int) -> [UInt8] {
        precondition(paymentIntentSucceededFixture.utf8.count == paymentIntentSucceededFixtureLength)
        let anchor = #""order_id": "123456789""#
        let parts = paymentIntentSucceededFixture.split(
            separator: anchor,
            maxSplits: 1,
            omittingEmptySubsequences: false
        )
        precondition(parts.count == 2, "fixture anchor not found")
        let padded = { (note: String) in "\(parts[0])\(anchor),\n        \"note\": \"\(note)\"\(parts[1])" }
        let padding = length - padded("").utf8.count
        precondition(padding >= 0, "the fixture is longer than \(length) bytes")
        let event = Array(padded(String(repeating: "x", count: padding)).utf8)
        precondition(event.count == length)
        return event
    }
}

/// Bare OpenSSL HMAC-SHA256 contexts keyed once (see `CHMACBaseline.h`), and the key for the one-shot call.
///
/// The measured calls write the MAC to a buffer allocated once and return OpenSSL's status, so the
/// baselines carry no Swift overhead beyond the call itself.
final class BaselineHMAC: @unchecked Sendable {
    // Only one benchmark runs at a time, on one thread; the contexts are never used from two threads.
    private let keyed: OpaquePointer
    private let key: [UInt8]
    private let out = UnsafeMutablePointer<UInt8>.allocate(capacity: SHA256MAC.byteCount)

    init(key: [UInt8]) {
        self.key = key
        self.keyed = key.withUnsafeBytes { CHMACBaseline_keyed_new($0.baseAddress, $0.count) }!
    }

    deinit {
        CHMACBaseline_keyed_free(self.keyed)
        self.out.deallocate()
    }

    func evpMacReinit(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        CHMACBaseline_evp_mac_reinit(self.keyed, bytes.baseAddress, bytes.count, self.out)
    }

    func evpMacDup(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        CHMACBaseline_evp_mac_dup(self.keyed, bytes.baseAddress, bytes.count, self.out)
    }

    func hmacCtxReinit(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        CHMACBaseline_hmac_ctx_reinit(self.keyed, bytes.baseAddress, bytes.count, self.out)
    }

    func oneShot(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        self.key.withUnsafeBytes { key in
            CHMACBaseline_hmac_oneshot(key.baseAddress, key.count, bytes.baseAddress, bytes.count, self.out)
        }
    }

    /// The MAC the last call wrote, after checking its status.
    func lastMAC(status: Int32) -> SHA256MAC {
        precondition(status == 1, "OpenSSL HMAC failed")
        return SHA256MAC(bytes: UnsafeBufferPointer(start: self.out, count: SHA256MAC.byteCount))!
    }
}
