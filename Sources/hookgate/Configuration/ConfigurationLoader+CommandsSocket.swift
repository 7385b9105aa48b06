import Glibc
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
        let sourcePath = Self.locate(configPath: configPath, environment: environment)
        var ignored: [ConfigurationIssue] = []
        let overrides = EnvironmentOverrides(environment: environment, issues: &ignored)
        guard sourcePath != Self.defaultPath || access(sourcePath, F_OK) == 0 else {
            return overrides.commandsSocket ?? overrides.defaultCommandsSocketPath
        }
        let configuration = overrides.applied(to: try Self.read(sourcePath, issues: []))
        return configuration.commands.socketPath ?? overrides.defaultCommandsSocketPath
    }
}
