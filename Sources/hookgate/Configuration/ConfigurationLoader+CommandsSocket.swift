import HookgateCore

extension ConfigurationLoader {
    /// The commands socket `serve` would listen on: `HOOKGATE_COMMANDS_SOCKET`, else the file's
    /// `commands.socket`, else `<data dir>/commands.sock`. Reads no secret. When no file is named (by
    /// `configPath` or `HOOKGATE_CONFIG`) and ``defaultPath`` does not exist, the data directory's socket.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or decoded.
    static func commandsSocketPath(
        configPath: String?,
        environment: [String: String]
    ) throws(ConfigurationError) -> String {
        let (configuration, overrides) = try Self.unresolvedConfiguration(
            configPath: configPath,
            environment: environment
        )
        guard let configuration else { return overrides.commandsSocket ?? overrides.defaultCommandsSocketPath }
        return configuration.commands.socketPath ?? overrides.defaultCommandsSocketPath
    }
}
