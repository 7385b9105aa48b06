import HookgateCore
import Testing

struct StandardWebhooksTests {
    static let scheme = StandardWebhooksSignatureScheme()
    /// The test vector published with the Standard Webhooks reference libraries.
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let t: Int64 = 1_614_265_330
    static let body = Array("{\"test\": 2432232314}".utf8)
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    func headers(_ signature: String = signature, id: String = id, t: String = "\(t)") -> SignatureHeaders {
        ["webhook-id": id, "webhook-timestamp": t, "webhook-signature": signature]
    }

    func code(_ headers: SignatureHeaders, secret: String = secret, now: Int64 = t) throws -> VerificationError.Code? {
        let keys = try keyring(secret, scheme: Self.scheme)
        do {
            _ = try Self.scheme.verify(body: Self.body, headers: headers, keyring: keys, tolerance: .standard, now: now)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func specificationVectorVerifies() throws {
        #expect(try self.code(self.headers()) == nil)
    }

    @Test func prefixOfTheSecretIsOptional() throws {
        #expect(try self.code(self.headers(), secret: String(Self.secret.dropFirst(6))) == nil)
    }

    @Test func signsTheSpecificationVector() throws {
        let key = try Self.scheme.makeKey(Secret(Self.secret), label: "spec")
        let signed = Self.scheme.sign(body: Self.body, keys: [key], timestamp: Self.t, messageID: Self.id)
        #expect(signed["webhook-signature"] == Self.signature)
        #expect(signed["webhook-timestamp"] == "\(Self.t)")
        #expect(signed["webhook-id"] == Self.id)
    }

    @Test func anyOfSeveralSignaturesMayMatch() throws {
        #expect(try self.code(self.headers("v1,bm9wZQ== v1a,abc " + Self.signature)) == nil)
    }

    @Test func changesFail() throws {
        #expect(try self.code(self.headers(id: "msg_p5jXN8AQM9LWM0D4loKWxJel")) == .signatureMismatch)
        #expect(try self.code(self.headers(t: "\(Self.t + 1)"), now: Self.t) == .signatureMismatch)
        #expect(try self.code(self.headers("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OF=")) == .signatureMismatch)
        #expect(try self.code(self.headers("v2," + Self.signature.dropFirst(3))) == .signatureMalformed)
        #expect(try self.code(self.headers(t: "soon")) == .signatureMalformed)
        #expect(try self.code(self.headers(id: "")) == .signatureMissing)
    }

    @Test func timestampTolerance() throws {
        #expect(try self.code(self.headers(), now: Self.t + 301) == .timestampOutsideTolerance)
        #expect(try self.code(self.headers(), now: Self.t - 301) == .timestampOutsideTolerance)
    }

    @Test func secretMustBeBase64() {
        #expect(throws: SecretFormatError.self) { try keyring("whsec_not*base64", scheme: Self.scheme) }
    }
}
