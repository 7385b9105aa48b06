import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the configuration, certificates and secrets on SIGHUP. A reload that fails is logged and the
/// running configuration stays in force.
struct ReloadService: Service {
    let logger: Logger
    let reload: @Sendable () async throws -> Void

    init(logger: Logger, reload: @escaping @Sendable () async throws -> Void) {
        self.logger = logger
        self.reload = reload
    }

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            do {
                try await self.reload()
                self.logger.notice("configuration reloaded")
            } catch {
                self.logger.error(
                    "reload rejected; the running configuration stays in force",
                    metadata: ["error": "\(error)"]
                )
            }
        }
    }
}
