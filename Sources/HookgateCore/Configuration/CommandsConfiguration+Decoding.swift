extension CommandsConfiguration {
    static let keys = ["socket", "socket_mode"]

    /// Decodes `commands`: `{"socket": PATH, "socket_mode": "0600"}`, both optional.
    static func decode(_ value: JSONValue, at path: JSONPath, reader: inout ConfigurationReader) -> Self {
        var commands = CommandsConfiguration()
        guard let fields = reader.fields(of: value, at: path, keys: Self.keys) else { return commands }
        commands.socketPath = reader.string("socket", in: fields)
        commands.socketMode =
            reader.parsed(
                "socket_mode",
                in: fields,
                problem: "expected an octal file mode from \"0000\" to \"0777\", e.g. \"0600\""
            ) { AdminConfiguration.parseFileMode($0) } ?? commands.socketMode
        return commands
    }
}
