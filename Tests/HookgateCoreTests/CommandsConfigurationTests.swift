import HookgateCore
import Testing

/// The `commands` section: the socket and its mode, printed back as configured, apart from the other sockets.
struct CommandsConfigurationTests {
    func decode(_ commands: String) throws(ConfigurationError) -> HookgateConfiguration {
        try HookgateConfiguration.decode(
            Array(ConfigurationDecodingTests.document("\"commands\": \(commands)").utf8)
        )
    }

    /// Without the section: no path (placed in the data directory when loaded), mode 0600.
    @Test func defaults() throws {
        let configuration = try HookgateConfiguration.decode(Array(ConfigurationDecodingTests.document().utf8))
        #expect(configuration.commands == CommandsConfiguration(socketPath: nil, socketMode: 0o600))
        #expect(configuration.redactedJSON["commands"] == .object([.init(key: "socket_mode", value: .string("0600"))]))
        #expect(try self.decode("{}").commands == CommandsConfiguration())
    }

    /// Both keys, printed back in four octal digits.
    @Test func socketAndMode() throws {
        let configuration = try self.decode(#"{"socket": "/run/hookgate/commands.sock", "socket_mode": "660"}"#)
        #expect(
            configuration.commands
                == CommandsConfiguration(socketPath: "/run/hookgate/commands.sock", socketMode: 0o660)
        )
        #expect(configuration.redactedJSON["commands"]?["socket"] == .string("/run/hookgate/commands.sock"))
        #expect(configuration.redactedJSON["commands"]?["socket_mode"] == .string("0660"))
    }

    /// A bad mode, an empty path, a wrong type or an unknown key: an issue naming the key.
    @Test(arguments: [
        (#"{"socket_mode": "0800"}"#, "$.commands.socket_mode"), (#"{"socket_mode": 600}"#, "$.commands.socket_mode"),
        (#"{"socket": ""}"#, "$.commands.socket"), (#"{"path": "/x"}"#, "$.commands.path"), ("[]", "$.commands"),
    ])
    func badValues(_ value: String, _ path: String) {
        do {
            _ = try self.decode(value)
            Issue.record("decoded: \(value)")
        } catch {
            #expect(error.issues.map(\.location) == [path], "\(error)")
        }
    }

    /// The commands socket cannot be the admin socket or the payment system's.
    @Test func apartFromTheOtherSockets() throws {
        let admin = try HookgateConfiguration.decode(
            Array(
                ConfigurationDecodingTests.document(
                    #""admin": {"socket": "/s/a.sock"}, "commands": {"socket": "/s/a.sock"}"#
                ).utf8
            )
        )
        #expect(
            admin.validationIssues().map(\.description) == ["$.commands.socket: /s/a.sock is also the admin socket"]
        )
        let upstream = try HookgateConfiguration.decode(
            Array(
                ConfigurationDecodingTests.document(
                    #""upstream": {"socket": "/s/p.sock"}, "commands": {"socket": "/s/p.sock"}"#
                ).utf8
            )
        )
        #expect(
            upstream.validationIssues().map(\.description) == [
                "$.commands.socket: /s/p.sock is also the payment system's socket (upstream.socket)"
            ]
        )
    }
}
