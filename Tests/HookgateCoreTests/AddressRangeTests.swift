import HookgateCore
import Testing

struct AddressRangeTests {
    @Test func ipv4Ranges() throws {
        let range = try #require(AddressRange("203.0.113.0/24"))
        #expect(range.contains([203, 0, 113, 7]))
        #expect(!range.contains([203, 0, 114, 7]))
        #expect(range.description == "203.0.113.0/24")
        #expect(AddressRange("10.1.2.3")?.contains([10, 1, 2, 3]) == true)
        #expect(AddressRange("10.1.2.3")?.contains([10, 1, 2, 4]) == false)
        #expect(AddressRange("0.0.0.0/0")?.contains([8, 8, 8, 8]) == true)
    }

    @Test func ipv6Ranges() throws {
        let range = try #require(AddressRange("2001:db8::/32"))
        #expect(range.contains(IPAddressText.parse("2001:db8:1::5")!))
        #expect(!range.contains(IPAddressText.parse("2001:db9::5")!))
        #expect(AddressRange("::1")?.contains(IPAddressText.parse("::1")!) == true)
    }

    @Test func ipv4MappedPeersMatchIPv4Ranges() throws {
        let range = try #require(AddressRange("127.0.0.0/8"))
        #expect(range.contains(IPAddressText.parse("::ffff:127.0.0.1")!))
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.256", "01.2.3.4", "1.2.3.4/33", "1.2.3.4/", "1.2.3.4/+8", "::1/129", "1::2::3", "g::1",
        "1.2.3.4/8/8",
    ])
    func rejectsNonsense(_ text: String) {
        #expect(AddressRange(text) == nil)
    }
}
