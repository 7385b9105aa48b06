import Foundation
import HookgateStore

/// A command store that forwards writes to a real one but whose reads fail as a store that cannot be read does
/// (``StoreError/Code/storeUnavailable``).
struct UnreadableCommandStore: CommandStore {
    let base: any CommandStore

    func commands(matching query: CommandQuery) async throws(StoreError) -> [CommandRecord] {
        throw .storeUnavailable(detail: "test: reads fail")
    }

    func countCommands(matching query: CommandQuery) async throws(StoreError) -> Int {
        throw .storeUnavailable(detail: "test: reads fail")
    }

    func command(_ id: CommandID) async throws(StoreError) -> CommandDetail? {
        throw .storeUnavailable(detail: "test: reads fail")
    }

    func command(commandID: String) async throws(StoreError) -> CommandDetail? {
        throw .storeUnavailable(detail: "test: reads fail")
    }

    func appendCommand(_ command: NewCommand) async throws(StoreError) -> CommandAppendResult {
        try await self.base.appendCommand(command)
    }

    func claimDueCommands(now: Date, leaseDuration: Duration, limit: Int) async throws(StoreError) -> [CommandLease] {
        try await self.base.claimDueCommands(now: now, leaseDuration: leaseDuration, limit: limit)
    }

    func completeCommandAttempt(
        _ lease: CommandLease,
        report: CommandAttemptReport,
        outcome: AttemptOutcome,
        stripeObject: StripeObjectReference?
    ) async throws(StoreError) {
        try await self.base.completeCommandAttempt(lease, report: report, outcome: outcome, stripeObject: stripeObject)
    }

    func requeueCommand(_ id: CommandID, now: Date) async throws(StoreError) {
        try await self.base.requeueCommand(id, now: now)
    }

    func commandsAvailable() -> AsyncStream<Void> {
        self.base.commandsAvailable()
    }
}
