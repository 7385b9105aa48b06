public import HookgateCore
import Logging
import NIOConcurrencyHelpers

extension IngressServer {
    /// Replaces the settings new connections get: certificate and key, endpoints (keyrings, tolerances,
    /// modes, sources, body limits) and limits. Open connections keep the settings they were accepted with;
    /// the budget of rejected requests' log lines, which is gateway-wide, changes at once.
    ///
    /// Everything is built and checked first; if anything fails the error is thrown and the running settings
    /// stay in force. Listen addresses are bound once in ``run()``: a change of `listen` is ignored (logged)
    /// until a restart. Reads the TLS files: call it from a task, not from an event loop.
    /// - Throws: ``IngressConfigurationError`` or the NIOSSL error for an unreadable certificate or key.
    public func reload(_ settings: GatewaySettings) throws {
        let snapshot = try IngressSnapshot(settings: settings)
        let listenChanged = self.state.withLockedValue { state in
            let changed = state.snapshot.settings.listen != settings.listen
            state.snapshot = snapshot
            return changed
        }
        self.pipeline.rejectedLog.setLinesPerSecond(settings.limits.rejectedRequestLogLinesPerSecond)
        if listenChanged {
            self.logger.warning("listen addresses changed; they take effect after a restart")
        }
        self.logger.info(
            "settings reloaded",
            metadata: ["hookgate.endpoints": "\(settings.endpoints.count)"]
        )
    }
}
