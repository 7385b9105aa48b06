import GRDB

/// The reader's command reads, each in one snapshot of its read-only connection (see ``CommandReader``).
extension SQLiteDeliveryReader: CommandReader {
    public func commands(matching query: CommandQuery) async throws(StoreError) -> [CommandRecord] {
        try await read { db in try SQLiteDeliveryStore.commands(matching: query, in: db) }
    }

    public func countCommands(matching query: CommandQuery) async throws(StoreError) -> Int {
        try await read { db in try SQLiteDeliveryStore.countCommands(matching: query, in: db) }
    }

    public func command(_ id: CommandID) async throws(StoreError) -> CommandDetail? {
        try await read { db in try SQLiteDeliveryStore.commandDetail(id: id, in: db) }
    }

    public func command(commandID: String) async throws(StoreError) -> CommandDetail? {
        try await read { db in try SQLiteDeliveryStore.commandDetail(id: nil, commandID: commandID, in: db) }
    }
}
