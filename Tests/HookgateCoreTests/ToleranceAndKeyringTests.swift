import HookgateCore
import Testing

struct ToleranceAndKeyringTests {
    static let body = Fixtures.twoKilobyteEvent
    static let t: Int64 = 1_800_000_000

    @Test func pastAndFutureLimitsAreSeparate() throws {
        let keys = try keyring("whsec_a")
        let header = try stripeHeader(Self.body, secrets: "whsec_a", at: Self.t)
        let tolerance = TimestampTolerance(past: 600, future: 5)
        #expect(stripeCode(Self.body, header: header, keyring: keys, tolerance: tolerance, now: Self.t + 600) == nil)
        #expect(
            stripeCode(Self.body, header: header, keyring: keys, tolerance: tolerance, now: Self.t + 601)
                == .timestampOutsideTolerance
        )
        #expect(stripeCode(Self.body, header: header, keyring: keys, tolerance: tolerance, now: Self.t - 5) == nil)
        #expect(
            stripeCode(Self.body, header: header, keyring: keys, tolerance: tolerance, now: Self.t - 6)
                == .timestampOutsideTolerance
        )
    }

    @Test func defaultIsFiveMinutesEachWay() throws {
        #expect(TimestampTolerance.standard == TimestampTolerance(past: 300, future: 300))
    }

    @Test func zeroIsAZeroSecondWindowNotOff() throws {
        let keys = try keyring("whsec_a")
        let header = try stripeHeader(Self.body, secrets: "whsec_a", at: Self.t)
        let zero = TimestampTolerance(past: 0, future: 0)
        #expect(stripeCode(Self.body, header: header, keyring: keys, tolerance: zero, now: Self.t) == nil)
        #expect(
            stripeCode(Self.body, header: header, keyring: keys, tolerance: zero, now: Self.t + 1)
                == .timestampOutsideTolerance
        )
        #expect(
            stripeCode(Self.body, header: header, keyring: keys, tolerance: .disabled, now: Self.t + 10_000_000) == nil
        )
    }

    @Test func outsideToleranceReportsSkewAndDirection() throws {
        let keys = try keyring("whsec_a")
        let header = try stripeHeader(Self.body, secrets: "whsec_a", at: Self.t)
        let error = #expect(throws: VerificationError.self) {
            try stripe.verify(
                body: Self.body,
                headers: ["stripe-signature": header],
                keyring: keys,
                tolerance: .standard,
                now: Self.t + 4213
            )
        }
        #expect(error?.skew == -4213)
        #expect(error?.reason.contains("4213 s in the past") == true)
    }

    /// A stale timestamp with a wrong signature is a mismatch: the signature is checked first.
    @Test func signatureIsCheckedBeforeTheTimestamp() throws {
        let header = try stripeHeader(Self.body, secrets: "whsec_other", at: Self.t)
        #expect(
            stripeCode(Self.body, header: header, keyring: try keyring("whsec_a"), now: Self.t + 9999)
                == .signatureMismatch
        )
    }

    @Test func reportsWhichKeyMatched() throws {
        let keys = try keyring("whsec_one", "whsec_two", "whsec_three")
        let header = try stripeHeader(Self.body, secrets: "whsec_three", at: Self.t)
        let verified = try stripe.verify(
            body: Self.body,
            headers: ["stripe-signature": header],
            keyring: keys,
            tolerance: .standard,
            now: Self.t
        )
        #expect(verified.keyLabel == "key-3")
    }

    /// During a rotation Stripe signs with both secrets; either key verifies.
    @Test func rotationHeaderVerifiesWithEitherKey() throws {
        let header = try stripeHeader(Self.body, secrets: "whsec_old", "whsec_new", at: Self.t)
        #expect(stripeCode(Self.body, header: header, keyring: try keyring("whsec_old"), now: Self.t) == nil)
        #expect(stripeCode(Self.body, header: header, keyring: try keyring("whsec_new"), now: Self.t) == nil)
    }

    @Test func expiredKeyNoLongerVerifies() throws {
        let keys = try Keyring(
            scheme: stripe,
            secrets: [
                LabelledSecret(label: "old", secret: Secret("whsec_old"), expiresAt: Self.t + 100),
                LabelledSecret(label: "new", secret: Secret("whsec_new")),
            ]
        )
        let oldHeader = try stripeHeader(Self.body, secrets: "whsec_old", at: Self.t + 100)
        let error = #expect(throws: VerificationError.self) {
            try stripe.verify(
                body: Self.body,
                headers: ["stripe-signature": oldHeader],
                keyring: keys,
                tolerance: .standard,
                now: Self.t + 100
            )
        }
        #expect(error?.code == .secretExpired)
        #expect(error?.expiredKeyLabel == "old")
        let before = try stripeHeader(Self.body, secrets: "whsec_old", at: Self.t + 99)
        #expect(stripeCode(Self.body, header: before, keyring: keys, now: Self.t + 99) == nil)
        let both = try stripeHeader(Self.body, secrets: "whsec_old", "whsec_new", at: Self.t + 500)
        let verified = try stripe.verify(
            body: Self.body,
            headers: ["stripe-signature": both],
            keyring: keys,
            tolerance: .standard,
            now: Self.t + 500
        )
        #expect(verified.keyLabel == "new")
    }

    @Test func emptyKeyringNeverVerifies() throws {
        let header = try stripeHeader(Self.body, secrets: "whsec_a", at: Self.t)
        let keys = try Keyring(scheme: stripe, secrets: [])
        #expect(stripeCode(Self.body, header: header, keyring: keys, now: Self.t) == .signatureMismatch)
    }

    @Test func emptySecretIsRejected() {
        #expect(throws: SecretFormatError.self) { try keyring("") }
    }
}
