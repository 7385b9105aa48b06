import ArgumentParser
import Foundation
import HookgateCore
import HookgateDelivery
import HookgateServer
import HookgateStore
import Logging
import ServiceLifecycle
import UnixSignals

/// `hookgate serve`: runs the gateway until SIGTERM or SIGINT; SIGHUP reloads configuration, certificates
/// and secrets.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: HTTPS ingress, delivery store, admin listener and commands socket.",
        discussion: """
            The configuration is --config, else $HOOKGATE_CONFIG, else Config/hookgate.json. SIGTERM or SIGINT \
            drains gracefully (stop accepting, finish requests in flight, flush the store, exit 0). SIGHUP \
            re-reads the configuration, certificates and secrets; an invalid new configuration is logged and \
            the running one stays in force.
            """
    )

    @Option(help: ArgumentHelp("The configuration file.", valueName: "PATH"))
    var config: String?

    func run() async throws {
        let environment = ProcessEnvironment.current()
        let loaded: LoadedConfiguration
        do {
            loaded = try ConfigurationLoader().load(configPath: self.config, environment: environment)
        } catch {
            StandardError.write("hookgate serve: the configuration is invalid:\n\(error)")
            throw ExitCode(1)
        }
        // Before anything in the data directory is touched (or a secret generated and printed): one gateway
        // per directory, so a second `serve` cannot take the first one's store or sockets.
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: loaded.dataDirectory)
        } catch {
            StandardError.write("hookgate serve: \(error)")
            throw ExitCode(1)
        }
        LoggingBootstrap.bootstrap(loaded.logging)
        defer { LoggingBootstrap.flush() }
        let logger = Logger(label: "hookgate")
        try DevelopmentFallbacks.apply(to: loaded, logger: logger)

        let store: any DeliveryStore & CommandStore
        let commandsSocket = loaded.effective.commands
        do {
            // The data folder holds the database and the sockets: only this user may enter it.
            if let file = loaded.store.databaseFile { try FileOutput.createDirectories(for: file, mode: 0o700) }
            if case .unixSocket(let path, _) = loaded.settings.admin {
                try FileOutput.createDirectories(for: path, mode: 0o700)
            }
            if let path = commandsSocket.socketPath { try FileOutput.createDirectories(for: path, mode: 0o700) }
            store = try DeliveryStores.open(loaded.store)
        } catch {
            StandardError.write("hookgate serve: cannot open the store at '\(loaded.store)': \(error)")
            throw ExitCode(1)
        }
        let metrics = GatewayMetrics()
        let ingress: IngressServer
        do {
            ingress = try IngressServer(
                settings: loaded.settings,
                store: store,
                metrics: metrics,
                logger: Logger(label: "hookgate.ingress")
            )
        } catch {
            await store.close()
            StandardError.write("hookgate serve: cannot start the ingress: \(error)")
            throw ExitCode(1)
        }
        let worker = DeliveryWorker(
            store: store,
            upstream: loaded.upstream,
            endpoints: Self.forwarding(loaded.settings.endpoints),
            metricsFactory: metrics.factory,
            logger: Logger(label: "hookgate.delivery"),
            stripeAPI: loaded.stripeAPI
        )
        let apiConfiguration = AdminAPIConfiguration(loaded)
        let adminRoutes = AdminAPIRouter(routes: [
            { DashboardPages.route($0) },
            DeliveriesAdminAPI(store: store, configuration: apiConfiguration).route,
            OverviewAdminAPI(store: store, metrics: metrics, upstreamIsAway: { worker.isUpstreamAway }).route,
            EndpointsAdminAPI(store: store, configuration: apiConfiguration).route,
            CommandsAdminAPI(store: store).route,
        ])
        let admin = AdminServer(
            address: loaded.settings.admin,
            metrics: metrics,
            ingress: ingress,
            storeIsWritable: { await store.isWritable() },
            router: { await adminRoutes.route($0) },
            logger: Logger(label: "hookgate.admin")
        )
        // `admin.http_listen`: the same routes for browsers, behind the token's gate.
        let adminHTTP = loaded.adminHTTP.map { http in
            admin.companion(
                address: .tcp(http.listen),
                access: AdminAccess(token: http.token),
                tls: http.tls,
                logger: Logger(label: "hookgate.admin.http")
            )
        }
        // The payment system's commands to Stripe (payment-requested, refund-requested), appended to the store.
        let commands = commandsSocket.socketPath.map { path in
            CommandsServer(
                socketPath: path,
                socketMode: commandsSocket.socketMode,
                store: store,
                clock: { Date() },
                metrics: metrics,
                logger: Logger(label: "hookgate.commands")
            )
        }
        // The commands' requests to Stripe's API, once a key is configured; without one they wait in the store.
        let commandWorker = loaded.stripeAPI.map { api in
            CommandWorker(
                store: store,
                stripeAPI: api,
                retry: loaded.upstream.retry,
                metricsFactory: metrics.factory,
                logger: Logger(label: "hookgate.commands.worker")
            )
        }
        if commands != nil, commandWorker == nil {
            let name = loaded.effective.stripe.apiKeyVariable
            logger.warning(
                "commands are accepted but not sent to Stripe: no API key (set \(name), stripe.api_key_env or stripe.api_key_file)"
            )
        }
        let configPath = self.config
        let reload = ReloadService(logger: logger) {
            let reloaded = try ConfigurationLoader().load(
                configPath: configPath,
                environment: ProcessEnvironment.current()
            )
            try ingress.reload(reloaded.settings)
            worker.reload(endpoints: Self.forwarding(reloaded.settings.endpoints))
            apiConfiguration.replace(with: reloaded)
        }
        // `reconcile.interval`: appends the events Stripe's Events API lists that never arrived as webhooks.
        let reconcile = ReconcileService.configured(
            by: loaded,
            store: store,
            logger: Logger(label: "hookgate.reconcile")
        )
        // Higher indexes depend on lower ones and stop first: ingress drains, the commands socket stops
        // accepting (its commands in flight are answered), then admin (the HTTP listener first), the command
        // worker and the delivery worker (their attempts in flight finish), the store (its accepted appends
        // are committed; it purges expired deliveries while it runs).
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: store), .init(service: worker),
        ]
        if let commandWorker { services.append(.init(service: commandWorker)) }
        services.append(.init(service: admin))
        if let adminHTTP { services.append(.init(service: adminHTTP)) }
        if let commands { services.append(.init(service: commands)) }
        services += [.init(service: ingress), .init(service: reload)]
        if let reconcile { services.append(.init(service: reconcile)) }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info(
            "hookgate starting",
            metadata: [
                "config": "\(loaded.sourcePath)", "mode": "\(loaded.mode.rawValue)", "store": "\(loaded.store)",
                "upstream": "\(loaded.upstream.socketPath)", "commands": "\(commandsSocket.socketPath ?? "")",
                "lock": "\(lock.path)",
            ]
        )
        do {
            try await group.run()
        } catch {
            // A listener that cannot bind (the port in use, an admin socket another process listens on).
            StandardError.write("hookgate serve: \(error)")
            throw ExitCode(1)
        }
        logger.info("hookgate stopped")
    }

    /// What the delivery worker forwards, by endpoint name.
    private static func forwarding(_ endpoints: [GatewayEndpoint]) -> [String: EndpointForwarding] {
        Dictionary(endpoints.map { ($0.name, EndpointForwarding($0)) }, uniquingKeysWith: { first, _ in first })
    }
}
