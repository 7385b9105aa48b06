import Foundation
import HookgateCore
import HookgateDelivery
import HookgateStore
import Logging
import ServiceLifecycle

/// `serve`'s periodic reconciliation (`reconcile.interval`): every interval, ``Reconciler`` over the last 3 days
/// of events, leaving those of the last 5 minutes to their webhooks; one summary line per run, at `info` (a
/// failure at `warning`, the next run tries again). Each run is bounded by ``Reconciler/defaultMaximumPages``.
struct ReconcileService: Service {
    /// The default ``settlingTime``: 5 minutes.
    static let defaultSettlingTime: TimeInterval = 300

    /// The wait before each run.
    let interval: Duration
    /// Stripe's API and key.
    let api: StripeAPISettings
    /// Where events are looked up and appended.
    let store: any DeliveryStore
    /// The endpoints reconciled.
    let targets: [ReconcileTarget]
    /// Where each run's line goes.
    let logger: Logger
    /// Events this recent (seconds) are left to their webhooks, which Stripe is likely still sending.
    var settlingTime = ReconcileService.defaultSettlingTime

    /// The service `loaded` asks for; `nil` when `reconcile.interval` is unset, or (logged) when there is no
    /// API key or no Stripe endpoint to reconcile.
    static func configured(
        by loaded: LoadedConfiguration,
        store: any DeliveryStore,
        logger: Logger
    ) -> ReconcileService? {
        guard let seconds = loaded.effective.reconcile.intervalSeconds else { return nil }
        guard let api = loaded.stripeAPI else {
            logger.warning("reconcile.interval is set, but there is no Stripe API key: no periodic reconciliation")
            return nil
        }
        let targets = ReconcileTarget.all(loaded.effective.endpoints)
        guard !targets.isEmpty else {
            logger.warning("reconcile.interval is set, but no Stripe endpoint maps event types: nothing to reconcile")
            return nil
        }
        return ReconcileService(interval: .seconds(seconds), api: api, store: store, targets: targets, logger: logger)
    }

    /// Runs a reconciliation every interval until a graceful shutdown, which also ends a run under way (its
    /// appends so far stay).
    func run() async throws {
        let client = StripeAPIClient(settings: self.api)
        self.logger.info(
            "reconciling periodically",
            metadata: [
                "hookgate.reconcile.interval": "\(self.interval)",
                "hookgate.reconcile.endpoints": "\(self.targets.map(\.endpoint).joined(separator: ","))",
            ]
        )
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: self.interval)
                    await self.runOnce(client: client)
                }
            }
        } catch is CancellationError {
            // A graceful shutdown ended the wait.
        }
        await client.shutdown()
    }

    /// One reconciliation, logged.
    private func runOnce(client: StripeAPIClient) async {
        let now = Date()
        let reconciler = Reconciler(
            client: client,
            reader: self.store,
            store: self.store,
            targets: self.targets,
            endpointsLookedUp: self.targets.map(\.endpoint),
            since: now.addingTimeInterval(-Reconciler.defaultWindow),
            until: now.addingTimeInterval(-self.settlingTime)
        )
        do {
            let summary = try await reconciler.run(now: now, logger: self.logger)
            let totals = summary.totals
            var metadata: Logger.Metadata = [
                "hookgate.reconcile.listed": "\(totals.listed)",
                "hookgate.reconcile.already_had": "\(totals.alreadyHad)",
                "hookgate.reconcile.added": "\(totals.added)",
            ]
            if let incomplete = summary.incomplete { metadata["hookgate.reconcile.incomplete"] = "\(incomplete)" }
            self.logger.info("reconciled", metadata: metadata)
        } catch {
            self.logger.warning("reconciliation failed", metadata: ["error": "\(error)"])
        }
    }
}
