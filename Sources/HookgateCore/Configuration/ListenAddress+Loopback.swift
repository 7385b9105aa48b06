extension ListenAddress {
    /// Whether the host is a loopback address: `localhost`, `127.0.0.0/8` or `::1`.
    public var isLoopback: Bool {
        if self.host.lowercased() == "localhost" { return true }
        guard let address = IPAddressText.parse(Substring(self.host)) else { return false }
        return AddressRange("127.0.0.0/8")!.contains(address) || address == IPAddressText.parse("::1")
    }
}
