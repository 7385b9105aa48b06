import ArgumentParser

/// `hookgate commands`: inspecting the commands to Stripe's API (payment-requested, refund-requested) in the
/// store, and sending a dead one again.
struct CommandsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commands",
        abstract: "List and show the commands to Stripe's API, and retry a dead one.",
        discussion: """
            Every subcommand finds the store as serve does (store.path of --config, $HOOKGATE_CONFIG or \
            Config/hookgate.json, else $HOOKGATE_DATA_DIR/hookgate.sqlite), or takes --store PATH. list and show \
            only read (a read-only connection, safe while serve runs); retry is one short write transaction. No \
            Stripe key is needed or shown. Exit codes: 0 success, 1 not found, not dead (retry) or the store is \
            unusable, 2 usage error.
            """,
        subcommands: [CommandsListCommand.self, CommandsShowCommand.self, CommandsRetryCommand.self]
    )
}
