import HookgateCore
import Testing

struct HMACKeyTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let message: [UInt8]
        let hex: String
        var testDescription: String { self.name }
    }

    /// RFC 4231 HMAC-SHA256 test cases 1, 2, 3 and 6 (the last with a key longer than a block).
    static let rfc4231: [Vector] = [
        Vector(
            name: "RFC 4231 case 1",
            key: [UInt8](repeating: 0x0B, count: 20),
            message: Array("Hi There".utf8),
            hex: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        Vector(
            name: "RFC 4231 case 2",
            key: Array("Jefe".utf8),
            message: Array("what do ya want for nothing?".utf8),
            hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        Vector(
            name: "RFC 4231 case 3",
            key: [UInt8](repeating: 0xAA, count: 20),
            message: [UInt8](repeating: 0xDD, count: 50),
            hex: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        Vector(
            name: "RFC 4231 case 6",
            key: [UInt8](repeating: 0xAA, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            hex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
    ]

    @Test(arguments: rfc4231)
    func computesPublishedVectors(_ vector: Vector) throws {
        let key = try HMACKey(bytes: vector.key)
        let mac = vector.message.withUnsafeBytes { key.authenticationCode(of: $0) }
        #expect(mac.hexString == vector.hex)
    }

    /// The prepared context is copied, not consumed: the same key gives the same MAC again and again.
    @Test func keyIsReusable() throws {
        let key = try HMACKey(bytes: Array("Jefe".utf8))
        let message = Array("what do ya want for nothing?".utf8)
        let first = message.withUnsafeBytes { key.authenticationCode(of: $0) }
        let second = key.authenticationCode { stream in
            message.withUnsafeBytes { stream.update(UnsafeRawBufferPointer(rebasing: $0[..<10])) }
            message.withUnsafeBytes { stream.update(UnsafeRawBufferPointer(rebasing: $0[10...])) }
        }
        #expect(first == second)
        #expect(first.hexString == Self.rfc4231[1].hex)
    }

    @Test func matchesOnlyItsOwnLowercaseHex() throws {
        let key = try HMACKey(bytes: Array("Jefe".utf8))
        let mac = Array("what do ya want for nothing?".utf8).withUnsafeBytes { key.authenticationCode(of: $0) }
        let hex = Array(mac.hexString.utf8)
        #expect(hex.withUnsafeBufferPointer { mac.matches(lowercaseHex: $0) })
        let upper = Array(mac.hexString.uppercased().utf8)
        #expect(!upper.withUnsafeBufferPointer { mac.matches(lowercaseHex: $0) })
        for index in hex.indices {
            var changed = hex
            changed[index] = changed[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
            #expect(!changed.withUnsafeBufferPointer { mac.matches(lowercaseHex: $0) })
        }
        let short = Array(hex.dropLast())
        #expect(!short.withUnsafeBufferPointer { mac.matches(lowercaseHex: $0) })
        var invalid = hex
        invalid[0] = UInt8(ascii: "g")
        #expect(!invalid.withUnsafeBufferPointer { mac.matches(lowercaseHex: $0) })
    }

    @Test func base64RoundTrip() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64.encode(bytes)
            #expect(encoded.count == Base64.encodedCount(length))
            #expect(Base64.decode(Substring(encoded)) == bytes)
        }
        #expect(Base64.encode(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw==")
        #expect(Base64.decode("YW55IGNhcm5hbCBwbGVhcw") == Array("any carnal pleas".utf8))
        #expect(Base64.decode("YW55*GNh") == nil)
        #expect(Base64.decode("Y") == nil)
    }
}
