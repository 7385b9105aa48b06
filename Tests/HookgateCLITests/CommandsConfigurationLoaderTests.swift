import Foundation
import HookgateCore
import Testing

@testable import hookgate

/// Where `serve` puts the commands socket and where `send-command` looks for it: `HOOKGATE_COMMANDS_SOCKET`,
/// else `commands.socket`, else `<data dir>/commands.sock`.
@Suite(.timeLimit(.minutes(1)))
struct CommandsConfigurationLoaderTests {
    static let endpoint = """
        "endpoints": [{"name": "stripe", "path": "/s", "scheme": "stripe",
                       "secrets": [{"label": "current", "value": "whsec_x"}]}]
        """

    func write(_ commands: String?, in directory: TemporaryDirectory) throws -> String {
        let members = [Self.endpoint] + (commands.map { ["\"commands\": \($0)"] } ?? [])
        return try directory.write("hookgate.json", Array("{\(members.joined(separator: ", "))}".utf8))
    }

    @Test func socketLookup() throws {
        let directory = try TemporaryDirectory()
        let plain = try self.write(nil, in: directory)
        let data = ["HOOKGATE_DATA_DIR": "/var/lib/hg"]
        let loaded = try ConfigurationLoader().load(configPath: plain, environment: data)
        #expect(loaded.effective.commands == CommandsConfiguration(socketPath: "/var/lib/hg/commands.sock"))
        #expect(
            try ConfigurationLoader.commandsSocketPath(configPath: plain, environment: data)
                == "/var/lib/hg/commands.sock"
        )

        let configured = try self.write(#"{"socket": "/run/c.sock", "socket_mode": "0660"}"#, in: directory)
        #expect(
            try ConfigurationLoader().load(configPath: configured, environment: data).effective.commands.socketPath
                == "/run/c.sock"
        )
        #expect(try ConfigurationLoader.commandsSocketPath(configPath: configured, environment: data) == "/run/c.sock")

        let overridden = data.merging(["HOOKGATE_COMMANDS_SOCKET": "/tmp/x.sock"]) { $1 }
        let fromEnvironment = try ConfigurationLoader().load(configPath: configured, environment: overridden)
        #expect(
            fromEnvironment.effective.commands == CommandsConfiguration(socketPath: "/tmp/x.sock", socketMode: 0o660)
        )
        #expect(
            try ConfigurationLoader.commandsSocketPath(configPath: configured, environment: overridden) == "/tmp/x.sock"
        )
        // No file named and none at the default path: the data directory's socket, or the variable's.
        #expect(
            try ConfigurationLoader.commandsSocketPath(configPath: nil, environment: data)
                == "/var/lib/hg/commands.sock"
        )
    }

    /// The variable may not put the commands socket on the admin socket.
    @Test func environmentSocketIsValidated() throws {
        let directory = try TemporaryDirectory()
        let path = try self.write(nil, in: directory)
        let environment = ["HOOKGATE_COMMANDS_SOCKET": "/tmp/same.sock", "HOOKGATE_ADMIN_SOCKET": "/tmp/same.sock"]
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader().load(configPath: path, environment: environment)
        }
    }
}
