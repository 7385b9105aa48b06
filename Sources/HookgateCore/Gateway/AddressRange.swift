/// An IPv4 or IPv6 network in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`, or one address).
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address, 4 or 16 bytes, with host bits cleared.
    public let network: [UInt8]
    /// The prefix length in bits.
    public let prefixLength: Int

    /// Parses CIDR notation; a bare address is a /32 or /128. Returns `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddressText.parse(parts[0]) else { return nil }
        let bits = address.count * 8
        var prefix = bits
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...bits).contains(parsed), !parts[1].hasPrefix("+") else { return nil }
            prefix = parsed
        }
        self.prefixLength = prefix
        self.network = Self.masked(address, prefix)
    }

    /// Whether `address` (4 or 16 bytes) lies in the range. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
    /// is matched against IPv4 ranges.
    public func contains(_ address: [UInt8]) -> Bool {
        var address = address
        if address.count == 16, self.network.count == 4, address[0..<10].allSatisfy({ $0 == 0 }),
            address[10] == 0xFF, address[11] == 0xFF
        {
            address = Array(address[12...])
        }
        guard address.count == self.network.count else { return false }
        return Self.masked(address, self.prefixLength) == self.network
    }

    public var description: String {
        "\(IPAddressText.format(self.network))/\(self.prefixLength)"
    }

    private static func masked(_ address: [UInt8], _ prefix: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let kept = max(0, min(8, prefix - index * 8))
            return kept == 8 ? byte : byte & ~(0xFF >> kept)
        }
    }
}
