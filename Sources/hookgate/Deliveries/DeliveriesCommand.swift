import ArgumentParser

/// `hookgate deliveries`: inspecting the delivery store, beside a running gateway or on a stopped one's file.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "List, show, count, export and purge stored deliveries.",
        discussion: """
            Every subcommand finds the store as serve does (store.path of --config, $HOOKGATE_CONFIG or \
            Config/hookgate.json, else $HOOKGATE_DATA_DIR/hookgate.sqlite), or takes --store PATH. They need \
            no endpoint secret. list, show, stats and export only read (a read-only connection, safe while serve \
            runs). Exit codes: 0 success, 1 not found or the store is unusable, 2 usage error.
            """,
        subcommands: [
            DeliveriesListCommand.self, DeliveriesShowCommand.self, DeliveriesStatsCommand.self,
            DeliveriesExportCommand.self, DeliveriesPurgeCommand.self,
        ]
    )
}
