import ArgumentParser
import Foundation
import HookgateStore

/// `hookgate deliveries purge`: the retention purge that `serve` runs hourly, by hand.
struct DeliveriesPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete finished deliveries older than the retention window (store.retention_days), now.",
        discussion: """
            Deletes delivered, skipped and dead deliveries received before now minus the retention window, with \
            their attempts, in small transactions; pending and delivering ones are never purged. Safe while \
            serve runs: each batch is one short write transaction, and it waits for the gateway's (busy timeout).
            """
    )

    @OptionGroup var location: StoreLocationOptions

    func run() async throws {
        let configuration = try self.location.configuration(command: "deliveries purge")
        if let missing = DeliveryStores.missingReason(configuration) {
            StandardError.write("hookgate deliveries purge: \(missing)")
            throw ExitCode(1)
        }
        let now = Date()
        let store = try self.location.openStore(command: "deliveries purge", configuration: configuration)
        let purged: Result<Int, StoreError> = try await store.whileRunning {
            do throws(StoreError) {
                return .success(try await store.purgeExpired(now: now))
            } catch {
                return .failure(error)
            }
        }
        guard case .success(let count) = purged else {
            StandardError.write("hookgate deliveries purge: \(purged)")
            throw ExitCode(1)
        }
        let cutoff = now.addingTimeInterval(-Double(configuration.retention.window.components.seconds))
        print("purged \(count) finished deliveries received before \(DeliveryTime.seconds(cutoff))")
    }
}
