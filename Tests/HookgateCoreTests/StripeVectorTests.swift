import HookgateCore
import Testing

/// Signatures computed independently (Python's hmac; see Tests/Fixtures/make-signature-vectors.py).
struct StripeVectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let body: [UInt8]
        let secret: String
        let timestamp: Int64
        let header: String
        var testDescription: String { self.name }
    }

    static let vectors: [Vector] = {
        let json = Fixtures.bytes("stripe-vectors.json")
        return VectorFile.parse(json).map { fields in
            let body: [UInt8] = fields["file"].map { Fixtures.bytes($0) } ?? VectorFile.hex(fields["body_hex"]!)
            return Vector(
                name: fields["name"]!,
                body: body,
                secret: fields["secret"]!,
                timestamp: Int64(fields["timestamp"]!)!,
                header: fields["header"]!
            )
        }
    }()

    @Test func vectorFileIsRead() {
        #expect(Self.vectors.count == 7)
    }

    @Test(arguments: vectors)
    func verifies(_ vector: Vector) throws {
        let keys = try keyring(vector.secret)
        let verified = try stripe.verify(
            body: vector.body,
            headers: ["Stripe-Signature": vector.header],
            keyring: keys,
            tolerance: .standard,
            now: vector.timestamp + 10
        )
        #expect(verified.keyLabel == "key-1")
        #expect(verified.timestamp == vector.timestamp)
    }

    /// Hookgate's signer produces the same header as the independent one (single-secret vectors).
    @Test(arguments: vectors.filter { !$0.header.contains(",v0=") })
    func signsLikeTheIndependentImplementation(_ vector: Vector) throws {
        #expect(try stripeHeader(vector.body, secrets: vector.secret, at: vector.timestamp) == vector.header)
    }

    @Test(arguments: vectors.filter { $0.body.count < 3000 })
    func everySingleByteChangeOfTheBodyFails(_ vector: Vector) throws {
        let keys = try keyring(vector.secret)
        var body = vector.body
        for index in body.indices {
            body[index] ^= 0x01
            #expect(stripeCode(body, header: vector.header, keyring: keys, now: vector.timestamp) == .signatureMismatch)
            body[index] ^= 0x01
        }
        #expect(stripeCode(body, header: vector.header, keyring: keys, now: vector.timestamp) == nil)
    }

    /// Every change to the timestamp, to the matching signature or to the item names fails. (A rotation
    /// header also carries a v1 for another secret and a v0; changing those leaves the valid v1 intact.)
    @Test(arguments: vectors)
    func everySingleByteChangeOfTheHeaderFails(_ vector: Vector) throws {
        let keys = try keyring(vector.secret)
        let header = Array(vector.header.utf8)
        let mine = try stripeHeader(vector.body, secrets: vector.secret, at: vector.timestamp)
        let matching = Array(mine.split(separator: ",")[1].utf8)
        var free: [Range<Int>] = []
        var start = 0
        for item in vector.header.split(separator: ",", omittingEmptySubsequences: false) {
            let count = item.utf8.count
            if item.hasPrefix("v"), !Array(item.utf8).elementsEqual(matching) { free.append(start..<(start + count)) }
            start += count + 1
        }
        var checked = 0
        for index in header.indices where !free.contains(where: { $0.contains(index) }) {
            for replacement in [UInt8(ascii: "0"), UInt8(ascii: "7"), UInt8(ascii: "a"), UInt8(ascii: "f")]
            where header[index] != replacement {
                var changed = header
                changed[index] = replacement
                let text = String(decoding: changed, as: UTF8.self)
                let code = stripeCode(
                    vector.body,
                    header: text,
                    keyring: keys,
                    tolerance: .disabled,
                    now: vector.timestamp
                )
                #expect(code != nil, "accepted \(text)")
                checked += 1
            }
        }
        #expect(checked >= 3 * (10 + 64))
    }
}

/// Reads the flat vector file (a JSON array of objects with string and integer members) without Foundation.
enum VectorFile {
    static func parse(_ json: [UInt8]) -> [[String: String]] {
        var objects: [[String: String]] = []
        var current: [String: String] = [:]
        var pendingKey: String?
        var index = 0
        while index < json.count {
            let byte = json[index]
            if byte == UInt8(ascii: "\"") {
                var end = index + 1
                while json[end] != UInt8(ascii: "\"") { end += json[end] == UInt8(ascii: "\\") ? 2 : 1 }
                let text = String(decoding: json[(index + 1)..<end], as: UTF8.self)
                if let key = pendingKey {
                    current[key] = text
                    pendingKey = nil
                } else {
                    pendingKey = text
                }
                index = end + 1
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), let key = pendingKey {
                var end = index
                while json[end] >= UInt8(ascii: "0") && json[end] <= UInt8(ascii: "9") { end += 1 }
                current[key] = String(decoding: json[index..<end], as: UTF8.self)
                pendingKey = nil
                index = end
            } else {
                if byte == UInt8(ascii: "}") {
                    objects.append(current)
                    current = [:]
                }
                index += 1
            }
        }
        return objects
    }

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8).map {
            $0 <= UInt8(ascii: "9") ? $0 - UInt8(ascii: "0") : $0 - UInt8(ascii: "a") + 10
        }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}
