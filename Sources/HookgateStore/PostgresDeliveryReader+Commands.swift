/// The reader's command reads, each on a connection of its own in one read-only snapshot (see ``CommandReader``).
extension PostgresDeliveryReader: CommandReader {
    public func commands(matching query: CommandQuery) async throws(StoreError) -> [CommandRecord] {
        try await read { connection, logger in
            try await PostgresDeliveryStore.commands(matching: query, on: connection, logger: logger)
        }
    }

    public func countCommands(matching query: CommandQuery) async throws(StoreError) -> Int {
        try await read { connection, logger in
            try await PostgresDeliveryStore.countCommands(matching: query, on: connection, logger: logger)
        }
    }

    public func command(_ id: CommandID) async throws(StoreError) -> CommandDetail? {
        try await read { connection, logger in
            try await PostgresDeliveryStore.commandDetail(id: id, on: connection, logger: logger)
        }
    }

    public func command(commandID: String) async throws(StoreError) -> CommandDetail? {
        try await read { connection, logger in
            try await PostgresDeliveryStore.commandDetail(id: nil, commandID: commandID, on: connection, logger: logger)
        }
    }
}
