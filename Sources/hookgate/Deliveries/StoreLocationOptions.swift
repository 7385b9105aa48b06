import ArgumentParser
import HookgateCore
import HookgateStore

/// `--config` and `--store`: which delivery store a command works on (`deliveries`, `verify --delivery`).
struct StoreLocationOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The configuration file naming the store (default: $HOOKGATE_CONFIG, else \(ConfigurationLoader.defaultPath)).",
            valueName: "PATH"
        )
    )
    var config: String?

    @Option(
        help: ArgumentHelp(
            "The store: an SQLite database file, or a postgres:// URL (overrides the configuration).",
            valueName: "PATH|URL"
        )
    )
    var store: String?

    /// The store's configuration as `serve` resolves it, with `--store` replacing its backend and location.
    /// - Throws: ``ExitCode`` 1 after saying why the configuration is unusable.
    func configuration(command: String) throws -> DeliveryStoreConfiguration {
        var configuration: DeliveryStoreConfiguration
        do {
            configuration = try ConfigurationLoader.storeConfiguration(
                configPath: self.config,
                environment: ProcessEnvironment.current()
            )
        } catch {
            StandardError.write("hookgate \(command): the configuration is invalid:\n\(error)")
            throw ExitCode(1)
        }
        if let store {
            let isPostgres = PostgresStoreConfiguration.isPostgresURL(store)
            if isPostgres != (configuration.backend == .postgres) { configuration.password = nil }
            configuration.backend = isPostgres ? .postgres : .sqlite
            configuration.location = store
        }
        return configuration
    }

    /// Opens the store to change it, for a command that runs it only around its own work
    /// (``DeliveryStore/whileRunning(_:)``): no periodic purge of its own, which would race the command's.
    /// - Throws: ``ExitCode`` 1 after saying why it cannot be opened.
    func openStore(
        command: String,
        configuration: DeliveryStoreConfiguration
    ) throws -> any DeliveryStore & CommandStore {
        var configuration = configuration
        configuration.retention.purgeInterval = nil
        do {
            return try DeliveryStores.open(configuration)
        } catch {
            StandardError.write("hookgate \(command): cannot open the store at '\(configuration)': \(error)")
            throw ExitCode(1)
        }
    }

    /// Opens the store read-only.
    /// - Throws: ``ExitCode`` 1 after saying why it cannot be read.
    func openReader(command: String) throws -> any DeliveryReader & CommandReader {
        let configuration = try self.configuration(command: command)
        do {
            return try DeliveryStores.openReader(configuration)
        } catch {
            StandardError.write("hookgate \(command): cannot read the store at '\(configuration)': \(error)")
            throw ExitCode(1)
        }
    }
}
