import HookgateCore
import Testing

/// How `Stripe-Signature` values are read: as the official SDKs do, and only what all of them accept with the
/// same reading (FuzzSignatureDifferential checks it against models of their rules; Fuzz/README.md).
struct StripeHeaderParsingTests {
    static let body = Array("{\"id\":\"evt_1\"}".utf8)
    static let secret = "whsec_parsing_tests"
    static let t: Int64 = 1_700_000_000

    func code(_ header: String) throws -> VerificationError.Code? {
        stripeCode(Self.body, header: header, keyring: try keyring(Self.secret), now: Self.t)
    }

    func v1() throws -> String {
        String(try stripeHeader(Self.body, secrets: Self.secret, at: Self.t).split(separator: ",")[1])
    }

    @Test func acceptsTheCanonicalForm() throws {
        #expect(try self.code("t=\(Self.t),\(self.v1())") == nil)
    }

    @Test func itemOrderDoesNotMatter() throws {
        #expect(try self.code("\(self.v1()),t=\(Self.t)") == nil)
    }

    @Test func anyV1MayMatch() throws {
        let other = "v1=" + String(repeating: "ab", count: 32)
        #expect(try self.code("t=\(Self.t),\(other),\(self.v1()),\(other)") == nil)
    }

    @Test func v0AndUnknownSchemesAreIgnored() throws {
        #expect(try self.code("t=\(Self.t),v0=\(String(repeating: "0", count: 64)),\(self.v1()),v2=zz") == nil)
    }

    /// stripe-go refuses a header with an item that is not one `key=value`; stripe-python refuses a bare `t` or
    /// `v1`; the others read `v1=<hex>=x` as `<hex>`. FuzzSignatureDifferential's first findings.
    @Test func everyItemIsOneKeyValuePair() throws {
        let v1 = try self.v1()
        for header in [
            "t=\(Self.t),,\(v1)", "t=\(Self.t),\(v1),", "t=\(Self.t),\(v1),x", "t=\(Self.t),\(v1),v1",
            "t,t=\(Self.t),\(v1)", "t=\(Self.t),\(v1)=x", "t=\(Self.t),\(v1),v2=a=b",
        ] {
            #expect(try self.code(header) == .signatureMalformed, "\(header)")
        }
    }

    /// stripe-node throws on an empty `v1` and on some non-ASCII ones, stripe-python on any non-ASCII one it
    /// compares, even when another `v1` matches.
    @Test func emptyOrNonASCIISignaturesAreMalformed() throws {
        let v1 = try self.v1()
        for header in ["t=\(Self.t),\(v1),v1=", "t=\(Self.t),v1=\u{E9},\(v1)", "t=\(Self.t),\(v1)\u{E9}"] {
            #expect(try self.code(header) == .signatureMalformed, "\(header)")
        }
    }

    /// stripe-ruby splits on `/,\s*/`: it would read `t=5` in `, t=5` (the first `t` it meets) and a `v1` after
    /// white space, which the other SDKs ignore.
    @Test func whiteSpaceBeforeTimestampOrSignatureKeyIsMalformed() throws {
        let v1 = try self.v1()
        for header in ["\(v1), t=5,t=\(Self.t)", "t=\(Self.t),\(v1),\tv1=ab", "t=\(Self.t),\(v1),\u{0B}t=\(Self.t)"] {
            #expect(try self.code(header) == .signatureMalformed, "\(header)")
        }
        #expect(try self.code("t=\(Self.t),\(v1), v0=ab, x=y") == nil)
    }

    @Test func onlyV0IsMalformed() throws {
        #expect(try self.code("t=\(Self.t),v0=\(String(repeating: "0", count: 64))") == .signatureMalformed)
    }

    @Test func missingOrEmptyHeader() throws {
        #expect(try self.code("") == .signatureMissing)
        let error = #expect(throws: VerificationError.self) {
            try stripe.verify(
                body: Self.body,
                headers: [:],
                keyring: try keyring(Self.secret),
                tolerance: .standard,
                now: Self.t
            )
        }
        #expect(error?.code == .signatureMissing)
    }

    @Test func missingTimestampIsMalformed() throws {
        #expect(try self.code(self.v1()) == .signatureMalformed)
    }

    /// A value pasted with its own header name in front says so, as `hookgate verify` does; a value that only
    /// lacks its t= says that.
    @Test func valueWithItsOwnNameSaysSo() throws {
        func reason(_ header: String) throws -> String? {
            let error = #expect(throws: VerificationError.self) {
                try stripe.verify(
                    body: Self.body,
                    headers: ["Stripe-Signature": header],
                    keyring: try keyring(Self.secret),
                    tolerance: .standard,
                    now: Self.t
                )
            }
            #expect(error?.code == .signatureMalformed, "\(header)")
            return error?.reason
        }
        let value = "t=\(Self.t),\(try self.v1())"
        for named in ["Stripe-Signature: \(value)", "stripe-signature:\(value)"] {
            #expect(
                try reason(named) == "the Stripe-Signature header value includes its own name "
                    + #"("Stripe-Signature: t=..."); send only the value after the colon"#,
                "\(named)"
            )
        }
        #expect(try reason(try self.v1()) == "the Stripe-Signature header has no t= timestamp")
    }

    /// Whitespace is not trimmed (the SDKs split on "," and "=" only): " v1=" is an unknown key.
    @Test func whitespaceIsNotTrimmed() throws {
        #expect(try self.code("t=\(Self.t), \(self.v1())") == .signatureMalformed)
        #expect(try self.code("t=\(Self.t),\(self.v1()) ") == .signatureMismatch)
        #expect(try self.code("t= \(Self.t),\(self.v1())") == .signatureMalformed)
    }

    @Test func uppercaseHexDoesNotMatch() throws {
        #expect(try self.code("t=\(Self.t),\(self.v1().uppercased().replacingV1())") == .signatureMismatch)
    }

    @Test func timestampMustBeDigits() throws {
        for bad in ["-1", "+1700000000", "1.7e9", "", "0x65", "1700000000000000000000"] {
            #expect(try self.code("t=\(bad),\(self.v1())") == .signatureMalformed, "t=\(bad)")
        }
    }

    /// stripe-ruby's `Integer()` reads `t=0123` as octal 83 where the other SDKs read 123.
    @Test func leadingZerosAreMalformed() throws {
        #expect(try self.code("t=0\(Self.t),\(self.v1())") == .signatureMalformed)
        #expect(try self.code("t=00,\(self.v1())") == .signatureMalformed)
    }

    /// stripe-node's `parseInt` rounds above 2^53 - 1 (`t=123456789012345678` signs "123456789012345680").
    @Test func timestampsAbove2To53AreMalformed() throws {
        func code(at timestamp: Int64, written: String) throws -> VerificationError.Code? {
            let v1 = try stripeHeader(Self.body, secrets: Self.secret, at: timestamp).split(separator: ",")[1]
            return stripeCode(
                Self.body,
                header: "t=\(written),\(v1)",
                keyring: try keyring(Self.secret),
                tolerance: .disabled,
                now: Self.t
            )
        }
        #expect(try code(at: 9_007_199_254_740_991, written: "9007199254740991") == nil)
        #expect(try code(at: 9_007_199_254_740_992, written: "9007199254740992") == .signatureMalformed)
        #expect(try code(at: 123_456_789_012_345_678, written: "123456789012345678") == .signatureMalformed)
        #expect(try code(at: 0, written: "0") == nil)
    }

    @Test func repeatedTimestamps() throws {
        #expect(try self.code("t=\(Self.t),t=\(Self.t),\(self.v1())") == nil)
        #expect(try self.code("t=\(Self.t),t=\(Self.t + 1),\(self.v1())") == .signatureMalformed)
    }

    @Test func limitsTheNumberOfSignaturesAndTheLength() throws {
        let other = "v1=" + String(repeating: "ab", count: 32)
        let seventeen = Array(repeating: other, count: 16) + [try self.v1()]
        #expect(try self.code("t=\(Self.t)," + seventeen.joined(separator: ",")) == .signatureMalformed)
        let long = "t=\(Self.t),\(try self.v1()),x=" + String(repeating: "y", count: 5000)
        #expect(try self.code(long) == .signatureMalformed)
    }

    @Test func headerNameIsCaseInsensitive() throws {
        let header = "t=\(Self.t),\(try self.v1())"
        let verified = try stripe.verify(
            body: Self.body,
            headers: ["STRIPE-SIGNATURE": header],
            keyring: try keyring(Self.secret),
            tolerance: .standard,
            now: Self.t
        )
        #expect(verified.timestamp == Self.t)
    }
}

extension String {
    fileprivate func replacingV1() -> String { "v1=" + self.dropFirst(3) }
}
