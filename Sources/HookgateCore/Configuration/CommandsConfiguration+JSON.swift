extension CommandsConfiguration {
    /// `commands` as `check-config` prints it: the socket (once placed) and its mode in four octal digits.
    var json: JSONValue {
        let octal = String(self.socketMode, radix: 8)
        let mode = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
        return .object(
            (self.socketPath.map { [JSONValue.Member(key: "socket", value: .string($0))] } ?? [])
                + [JSONValue.Member(key: "socket_mode", value: .string(mode))]
        )
    }
}
