import ArgumentParser

/// The `hookgate` command line.
struct HookgateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookgate",
        abstract: "A TLS-terminating gateway for signed webhooks, and the tool to check their signatures.",
        discussion: """
            Exit codes: 0 success, 1 failure (said on standard error), 2 usage error (bad option, unreadable \
            file, unset variable). A command that gives them a narrower meaning says so in its --help, e.g. \
            hookgate verify --help.
            """,
        subcommands: [
            ServeCommand.self, VerifyCommand.self, SignCommand.self, CheckConfigCommand.self, CertsCommand.self,
            SinkCommand.self, SendCommand.self, DeliveriesCommand.self, ReplayCommand.self, DashboardCommand.self,
            EmulateCommand.self, ReconcileCommand.self, CommandsCommand.self, SendStripeCommand.self,
        ]
    )
}
