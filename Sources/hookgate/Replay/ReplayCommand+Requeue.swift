import ArgumentParser
import Foundation
import HookgateCore
import HookgateStore

extension ReplayCommand {
    /// Re-queues the selection as replays in the real store and prints the summary; with `--wait`, then follows
    /// the re-queued deliveries until the gateway has finished them.
    func requeue(_ selection: ReplaySelection, reader: any DeliveryReader) async throws {
        var tally = ReplayTally()
        tally.notFound = selection.notFound
        let configuration = try self.location.configuration(command: "replay")
        let store = try self.location.openStore(command: "replay", configuration: configuration)
        try await store.whileRunning {
            await self.paced(selection.records) { record in
                do throws(StoreError) {
                    try await store.requeue(record.id, asReplay: true, now: Date())
                    tally.record(record.id, .success(()))
                    return true
                } catch {
                    tally.record(record.id, .failure(error))
                    return false
                }
            }
        }
        for line in tally.lines { StandardError.write(line) }
        guard self.wait else {
            if self.json { print(ReplaySummaryJSON.requeue(tally, waited: nil).serialized()) }
            if !tally.allSucceeded { throw ExitCode(1) }
            return
        }
        let outcome: ReplayWaiter.Outcome
        do {
            let waiter = ReplayWaiter(reader: reader, timeout: .seconds(self.waitTimeout))
            outcome = try await waiter.wait(for: tally.requeued)
        } catch {
            StandardError.write("hookgate replay: \(error)")
            throw ExitCode(1)
        }
        for line in outcome.lines { StandardError.write(line) }
        if self.json { print(ReplaySummaryJSON.requeue(tally, waited: outcome).serialized()) }
        if !tally.allSucceeded || !outcome.failed.isEmpty || !outcome.unfinished.isEmpty { throw ExitCode(1) }
    }
}
