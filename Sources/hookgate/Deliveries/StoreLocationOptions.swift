import ArgumentParser
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

    @Option(help: ArgumentHelp("The store's database file (overrides the configuration).", valueName: "PATH"))
    var store: String?

    /// The store's configuration as `serve` resolves it, with `--store` replacing its path.
    /// - Throws: ``ExitCode`` 1 after saying why the configuration is unusable.
    func configuration(command: String) throws -> SQLiteDeliveryStore.Configuration {
        var configuration: SQLiteDeliveryStore.Configuration
        do {
            configuration = try ConfigurationLoader.storeConfiguration(
                configPath: self.config,
                environment: ProcessEnvironment.current()
            )
        } catch {
            StandardError.write("hookgate \(command): the configuration is invalid:\n\(error)")
            throw ExitCode(1)
        }
        if let store { configuration.path = store }
        return configuration
    }

    /// Opens the store read-only.
    /// - Throws: ``ExitCode`` 1 after saying why it cannot be read.
    func openReader(command: String) throws -> SQLiteDeliveryReader {
        let path = try self.configuration(command: command).path
        do {
            return try SQLiteDeliveryReader(path: path)
        } catch {
            StandardError.write("hookgate \(command): cannot read the store at '\(path)': \(error)")
            throw ExitCode(1)
        }
    }
}
